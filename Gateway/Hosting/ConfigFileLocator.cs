using Microsoft.Extensions.Configuration;

namespace LlmGateway.Hosting;

/// <summary>Finds the configuration file: <c>--config</c>, else <c>GATEWAY_CONFIG</c>, else <c>yarp.json</c> in the content root.</summary>
internal static class ConfigFileLocator
{
    public const string DefaultFileName = "yarp.json";

    public static string Resolve(IConfiguration configuration, string contentRoot)
    {
        var named = configuration["config"];
        if (string.IsNullOrWhiteSpace(named))
        {
            named = configuration["GATEWAY_CONFIG"];
        }

        var path = string.IsNullOrWhiteSpace(named)
            ? Path.Combine(contentRoot, DefaultFileName)
            : Path.GetFullPath(named);
        if (!File.Exists(path))
        {
            throw new GatewayConfigException(string.IsNullOrWhiteSpace(named)
                ? $"No {DefaultFileName} in the content root '{contentRoot}'. Run from the repository root, or name a file with --config <file> or GATEWAY_CONFIG."
                : $"The configuration file '{path}' does not exist.");
        }

        return path;
    }
}
