using BenchmarkDotNet.Running;

namespace LlmGateway.Bench.Micro;

/// <summary>Runs the benchmarks BenchmarkDotNet's command line selects (<c>--filter</c>, <c>--job short</c>, ...).</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        // Always in process (InProcessEmitToolchain): the default toolchain generates a project per
        // run and looks for the benchmarks' csproj by assembly name (LlmGateway.Bench.Micro), which
        // Micro.csproj is not, so it fails before building. A job in a config would be replaced by
        // the command line's --job; the --inProcess switch applies to whichever job is chosen.
        string[] inProcess = args.Any(a => a is "--inProcess" or "-i") ? args : [.. args, "--inProcess"];
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(inProcess);
    }
}
