using System.Runtime.InteropServices;

namespace LlmGateway.Bench.Harness;

/// <summary>The two libc calls the harness needs: a polite SIGTERM and the clock-tick rate of /proc.</summary>
internal static partial class Native
{
    private const int SigTerm = 15;
    private const int ScClkTck = 2;

    public static readonly long ClockTicksPerSecond = Math.Max(1, SysConf(ScClkTck));

    public static void Terminate(int pid) => _ = Kill(pid, SigTerm);

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);
}
