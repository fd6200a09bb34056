using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LlmGateway.Bench.Harness;

/// <summary>
/// A process the harness started, optionally pinned to a CPU list with taskset. Every one is
/// registered so that <see cref="StopAll"/> (run at exit, on Ctrl+C and on failure) leaves none behind.
/// </summary>
internal sealed class ManagedProcess : IDisposable
{
    private static readonly ConcurrentDictionary<int, ManagedProcess> Running = new();
    private static readonly ConcurrentQueue<int> Started = new();
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();

    private ManagedProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process wrote (stdout and stderr), for error messages.</summary>
    public string Tail
    {
        get
        {
            lock (_lastLines)
            {
                return string.Join('\n', _lastLines);
            }
        }
    }

    /// <summary>Starts <paramref name="file"/>; with <paramref name="cpus"/> (e.g. "0") under <c>taskset -c</c>.</summary>
    public static ManagedProcess Start(string name, string file, IEnumerable<string> args, string? cpus,
        IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo
        {
            FileName = cpus is null ? file : "taskset",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        if (cpus is not null)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(cpus);
            info.ArgumentList.Add(file);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Tuning variables of the harness's own environment (CI sets DOTNET_gcServer=0) must not
        // leak into the processes measured: they run as built unless a variant sets them.
        foreach (var key in info.Environment.Keys.Where(IsRuntimeTuning).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var managed = new ManagedProcess(name, process);
        Running[process.Id] = managed;
        Started.Enqueue(process.Id);
        process.OutputDataReceived += (_, e) => managed.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => managed.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    /// <summary>Waits until something accepts connections on <paramref name="port"/> (at most <paramref name="timeout"/>).</summary>
    public async Task WaitListeningAsync(int port, TimeSpan timeout)
    {
        var attempts = (int)(timeout.TotalMilliseconds / 100);
        for (var i = 0; i < attempts; i++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode}:\n{Tail}");
            }

            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"{Name} did not listen on port {port} within {timeout.TotalSeconds:0} s:\n{Tail}");
    }

    /// <summary>SIGTERM, up to 5 s to exit, then SIGKILL to the whole tree.</summary>
    public void Dispose()
    {
        if (!Running.TryRemove(_process.Id, out _))
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                var tree = ProcFs.Tree(_process.Id);
                Native.Terminate(_process.Id);
                if (!_process.WaitForExit(5000))
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(5000);
                }

                // Children that outlived their parent (an nginx worker, say) go too.
                foreach (var pid in tree.Skip(1))
                {
                    try
                    {
                        Process.GetProcessById(pid).Kill();
                    }
                    catch (ArgumentException)
                    {
                    }
                    catch (InvalidOperationException)
                    {
                    }
                }
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    /// <summary>Every process id the harness started (the last progress line lists them, for a check that none is left).</summary>
    public static IReadOnlyCollection<int> StartedIds => Started;

    public static void StopAll()
    {
        foreach (var process in Running.Values.ToList())
        {
            process.Dispose();
        }
    }

    /// <summary>A free TCP port on 127.0.0.1 (bound to port 0 and released).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsRuntimeTuning(string key) =>
        key.StartsWith("DOTNET_gc", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("DOTNET_GCgen", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("DOTNET_ThreadPool", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("DOTNET_SYSTEM_NET_SOCKETS", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("DOTNET_Tiered", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("OTEL_", StringComparison.OrdinalIgnoreCase);

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > 40)
            {
                _lastLines.Dequeue();
            }
        }
    }
}
