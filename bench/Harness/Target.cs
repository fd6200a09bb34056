namespace LlmGateway.Bench.Harness;

/// <summary>One row of the report: where requests go, what they carry, and the process measured.</summary>
internal sealed class Target(string id, string label, Uri url, ManagedProcess? process) : IDisposable
{
    /// <summary>Short id used by --only and in progress lines.</summary>
    public string Id { get; } = id;

    public string Label { get; } = label;

    /// <summary>The chat-completions address requests are sent to.</summary>
    public Uri Url { get; } = url;

    /// <summary>The proxy process whose CPU and memory are measured; null for the direct row.</summary>
    public ManagedProcess? Process { get; } = process;

    /// <summary>Headers every request carries (credentials, Portkey's routing headers).</summary>
    public Dictionary<string, string> Headers { get; } = [];

    /// <summary>The model the body asks for (an Anthropic model on the translation row).</summary>
    public string Model { get; init; } = "gpt-4o";

    /// <summary>Temporary files and directories to delete with the row.</summary>
    public List<string> TempPaths { get; } = [];

    public bool IsBaseline => Id == "yarp";

    public void Dispose()
    {
        Process?.Dispose();
        foreach (var path in TempPaths)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }
            }
            catch (IOException)
            {
            }
        }
    }
}
