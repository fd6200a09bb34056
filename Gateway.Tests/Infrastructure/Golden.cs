using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace LlmGateway.Tests.Infrastructure;

/// <summary>
/// Golden files: JSON compared structurally (key order and spacing do not matter). With the
/// environment variable <c>UPDATE_GOLDEN=1</c> the expected file in the source tree is
/// rewritten from the actual value; review the diff before committing it.
/// </summary>
internal static class Golden
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Reads a golden file from the test output directory.</summary>
    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, relativePath));

    /// <summary>Reads a fixture's bytes from the test output directory.</summary>
    public static byte[] Bytes(string relativePath) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, relativePath));

    /// <summary>Reads and parses a golden JSON file.</summary>
    public static JsonNode ReadJson(string relativePath) => JsonNode.Parse(Read(relativePath))!;

    /// <summary>Asserts that <paramref name="actual"/> equals the golden file structurally.</summary>
    public static void AssertMatches(JsonNode actual, string relativePath, [CallerFilePath] string callerFile = "")
    {
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            var projectDir = FindProjectDirectory(callerFile);
            var target = Path.Combine(projectDir, relativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, actual.ToJsonString(Indented) + "\n");
            return;
        }

        var expected = ReadJson(relativePath);
        Assert.That(JsonNode.DeepEquals(actual, expected), Is.True,
            $"{relativePath} differs.\nExpected:\n{expected.ToJsonString(Indented)}\nActual:\n{actual.ToJsonString(Indented)}");
    }

    /// <summary>Text golden: exact comparison.</summary>
    public static void AssertText(string actual, string relativePath, [CallerFilePath] string callerFile = "")
    {
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            var target = Path.Combine(FindProjectDirectory(callerFile), relativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, actual);
            return;
        }

        Assert.That(actual, Is.EqualTo(Read(relativePath)), relativePath);
    }

    private static string FindProjectDirectory(string callerFile)
    {
        var dir = Path.GetDirectoryName(callerFile);
        while (dir is not null && !File.Exists(Path.Combine(dir, "Gateway.Tests.csproj")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("Gateway.Tests.csproj not found above " + callerFile);
    }
}
