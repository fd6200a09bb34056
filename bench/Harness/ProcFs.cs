using System.Globalization;

namespace LlmGateway.Bench.Harness;

/// <summary>CPU time and resident memory of a process and its descendants, read from /proc.</summary>
internal static class ProcFs
{
    /// <summary>User + system CPU time of <paramref name="pid"/> and every descendant (nginx's workers), in microseconds.</summary>
    public static long CpuMicroseconds(int pid)
    {
        long ticks = 0;
        foreach (var id in Tree(pid))
        {
            var fields = StatFields(id);
            if (fields is not null)
            {
                // Fields 14 and 15 (utime, stime) count every thread, including those that have exited.
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
        }

        return ticks * 1_000_000 / Native.ClockTicksPerSecond;
    }

    /// <summary>
    /// CPU time of the .NET runtime's tiered compilation thread (".NET Tiered Compilation Worker",
    /// cut to ".NET Tiered Com" in comm) in microseconds, or null when the process has no such thread.
    /// </summary>
    public static long? TieringMicroseconds(int pid)
    {
        long? ticks = null;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var text = File.ReadAllText(Path.Combine(task, "stat"));
                    var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                    ticks = (ticks ?? 0) + long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    // The thread has just exited (it does when it has had nothing to do for a while).
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        return ticks * 1_000_000 / Native.ClockTicksPerSecond;
    }

    /// <summary>Resident set size of <paramref name="pid"/> and its descendants, in bytes.</summary>
    public static long RssBytes(int pid)
    {
        long bytes = 0;
        foreach (var id in Tree(pid))
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{id}/status"))
                {
                    if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    {
                        bytes += long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
                        break;
                    }
                }
            }
            catch (IOException)
            {
                // The process has just exited.
            }
        }

        return bytes;
    }

    /// <summary><paramref name="pid"/> and all its descendants.</summary>
    public static List<int> Tree(int pid)
    {
        var parents = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                continue;
            }

            var fields = StatFields(id);
            if (fields is not null)
            {
                var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
                if (!parents.TryGetValue(parent, out var children))
                {
                    parents[parent] = children = [];
                }

                children.Add(id);
            }
        }

        var tree = new List<int> { pid };
        for (var i = 0; i < tree.Count; i++)
        {
            if (parents.TryGetValue(tree[i], out var children))
            {
                tree.AddRange(children);
            }
        }

        return tree;
    }

    /// <summary>The fields of /proc/&lt;pid&gt;/stat after the command name: [0] is state (field 3), [1] ppid (field 4).</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var close = text.LastIndexOf(')');
            return text[(close + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
