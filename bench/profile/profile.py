#!/usr/bin/env python3
"""Summarises one bench/profile/run window set: CPU, switches and syscalls per request, and
where the perf samples fall (by thread, by exclusive category, and inclusively by stack)."""
import argparse
import collections
import re

parser = argparse.ArgumentParser()
parser.add_argument("--per", default="request")
parser.add_argument("--ticks", type=int, required=True)
parser.add_argument("--hz", type=int, required=True)
parser.add_argument("--requests", type=int, required=True)
parser.add_argument("--seconds", type=float, required=True)
parser.add_argument("--voluntary", type=int, required=True)
parser.add_argument("--involuntary", type=int, required=True)
parser.add_argument("--stat", required=True)
parser.add_argument("--stat-requests", type=int, required=True)
parser.add_argument("--perf", required=True)
args = parser.parse_args()

per = args.per
n = max(args.requests, 1)
cpu_us = args.ticks * 1e6 / args.hz
print(f"| figure | per {per} |")
print("|---|---:|")
print(f"| {per}s/s | {args.requests / args.seconds:.0f} |")
print(f"| CPU µs (utime+stime) | {cpu_us / n:.1f} |")
print(f"| core busy | {cpu_us / 1e6 / args.seconds:.0%} |")
print(f"| voluntary switches (thread blocked) | {args.voluntary / n:.2f} |")
print(f"| involuntary switches (preempted) | {args.involuntary / n:.2f} |")

# perf stat -x, : value,unit,event,...
stat = {}
for line in open(args.stat):
    parts = line.strip().split(",")
    if len(parts) > 2 and parts[0] and not line.startswith("#"):
        try:
            stat[parts[2]] = float(parts[0])
        except ValueError:
            pass
m = max(args.stat_requests, 1)
names = [
    ("raw_syscalls:sys_enter", "syscalls, all"),
    ("syscalls:sys_enter_sendto", "sendto"), ("syscalls:sys_enter_sendmsg", "sendmsg"),
    ("syscalls:sys_enter_recvfrom", "recvfrom"), ("syscalls:sys_enter_recvmsg", "recvmsg"),
    ("syscalls:sys_enter_epoll_wait", "epoll_wait"), ("syscalls:sys_enter_epoll_ctl", "epoll_ctl"),
    ("syscalls:sys_enter_futex", "futex"), ("syscalls:sys_enter_sched_yield", "sched_yield"),
    ("syscalls:sys_enter_write", "write"), ("syscalls:sys_enter_read", "read"),
    ("sched:sched_switch", "context switches (sched_switch)"), ("sched:sched_wakeup", "wakeups issued"),
]
for key, label in names:
    if key in stat:
        print(f"| {label} | {stat[key] / m:.2f} |")
if "task-clock" in stat:
    print(f"| CPU µs (perf task-clock, window 2) | {stat['task-clock'] * 1e3 / m:.1f} |")

# perf script -F comm,tid,ip,sym,dso with call graphs: a header line, then one frame per line.
samples = []
current = None
for line in open(args.perf, errors="replace"):
    if not line.strip():
        continue
    if not line[0].isspace():
        current = (line.rsplit(None, 1)[0].strip() if len(line.split()) > 1 else line.strip(), [])
        samples.append(current)
        continue
    match = re.match(r"\s+[0-9a-f]+\s+(.*)\s+\((.*)\)\s*$", line)
    if match and current is not None:
        current[1].append((match.group(1).strip(), match.group(2)))

total = max(len(samples), 1)


def assembly(sym, dso):
    # "instance class [System.Runtime]System.Threading.Tasks.Task [Yarp.ReverseProxy] Yarp...::Invoke(...)":
    # the method's own assembly is the bracket followed by a space.
    found = re.search(r"\[([A-Za-z0-9_.]+)\] ", sym)
    name = found.group(1) if found else dso.rsplit("/", 1)[-1]
    if name.startswith(("Microsoft.AspNetCore.Server.Kestrel", "System.IO.Pipelines")):
        return "Kestrel, Pipelines"
    if name.startswith(("Microsoft.AspNetCore", "Microsoft.Extensions")):
        return "ASP.NET Core hosting, routing, DI, logging"
    if name.startswith("System.Net.Http"):
        return "HttpClient (SocketsHttpHandler)"
    if name.startswith("System.Net.Sockets"):
        return "System.Net.Sockets"
    if name.startswith("Yarp"):
        return "YARP"
    if name.startswith("LlmGateway"):
        return "gateway code"
    if name.startswith(("OpenTelemetry", "System.Diagnostics.DiagnosticSource")):
        return "Activity, metrics, OpenTelemetry"
    if name.startswith("System.Private.CoreLib"):
        return "CoreLib (async machinery, thread pool, collections, strings)"
    if name.startswith("System.Text.Json"):
        return "System.Text.Json"
    if name.startswith("perf-"):
        return "unnamed JIT code (stubs)"
    return name


def exclusive(frames):
    if not frames:
        return "?"
    leaf_sym, leaf_dso = frames[0]
    stack = [s for s, _ in frames]
    if "kernel" in leaf_dso:
        for sym in stack:
            call = re.match(r"__(?:x64|se|do)_sys_(\w+)", sym)
            if call:
                name = call.group(1)
                if name in ("sendto", "sendmsg", "write", "writev"):
                    return "kernel: socket send (loopback: includes delivery to the receiver)"
                if name in ("recvfrom", "recvmsg", "read", "readv"):
                    return "kernel: socket receive"
                if name.startswith("epoll"):
                    return "kernel: epoll"
                if name == "futex":
                    return "kernel: futex (block, wake a thread)"
                if name == "sched_yield":
                    return "kernel: sched_yield (spinning thread pool)"
                return f"kernel: other syscall ({name})"
        if any(k in s for s in stack for k in ("irq", "sysvec", "softirq", "hrtimer")):
            return "kernel: interrupts, timers, softirq"
        if any(k in s for s in stack for k in ("schedule", "finish_task_switch")):
            return "kernel: scheduler"
        return "kernel: other"
    if "libclrjit" in leaf_dso:
        return "JIT"
    if "libcoreclr" in leaf_dso:
        if any(k in leaf_sym for k in ("gc_heap", "GCHeap", "WKS::", "SVR::")):
            return "GC"
        return "runtime (libcoreclr: allocation, casts, stubs, thread pool native)"
    if leaf_dso.endswith(".so") or ".so." in leaf_dso:
        return "native: " + leaf_dso.rsplit("/", 1)[-1]
    return "managed: " + assembly(leaf_sym, leaf_dso)


INCLUSIVE = [
    ("Kestrel request loop (HttpProtocol.ProcessRequests)", ("HttpProtocol::ProcessRequests",)),
    ("YARP forwarder (HttpForwarder.SendAsync)", ("HttpForwarder::SendAsync",)),
    ("HttpClient connection (HttpConnection)", ("System.Net.Http.HttpConnection::",)),
    ("response body copy (StreamCopier)", ("StreamCopier::",)),
    ("gateway code (LlmGateway.*)", ("LlmGateway.",)),
    ("Activity, DiagnosticSource, metrics", ("System.Diagnostics.Activity", "DiagnosticListener", "System.Diagnostics.Metrics")),
    ("thread pool dispatch (ThreadPoolWorkQueue.Dispatch)", ("ThreadPoolWorkQueue::Dispatch",)),
    ("thread pool worker waiting or spinning (LowLevelLifoSemaphore)", ("LowLevelLifoSemaphore",)),
    ("socket event loop (SocketAsyncEngine.EventLoop)", ("SocketAsyncEngine::EventLoop",)),
    ("GC", ("gc_heap", "GCHeap::")),
]

threads = collections.Counter()
categories = collections.Counter()
inclusive = collections.Counter()
for comm, frames in samples:
    name = re.sub(r"\s+\d+$", "", comm)
    name = re.sub(r"\d+$", "", name).strip()
    threads[name] += 1
    categories[exclusive(frames)] += 1
    joined = "\n".join(s for s, _ in frames)
    for label, keys in INCLUSIVE:
        if any(k in joined for k in keys):
            inclusive[label] += 1
unit = cpu_us / n / total if samples else 0


def table(title, counter, limit=20):
    print()
    print(f"| {title} | share of samples | ≈ CPU µs per {per} |")
    print("|---|---:|---:|")
    for key, count in counter.most_common(limit):
        print(f"| {key} | {100 * count / total:.1f}% | {count * unit:.1f} |")


print()
print(f"perf samples: {len(samples)}")
table("thread", threads, 10)
table("where the sample lands (exclusive)", categories)
table("on the stack (inclusive; rows overlap)", inclusive)
