using System.Buffers;
using System.Text;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary>Tool calls: buffered until complete, then written as one functionCall part each.</summary>
internal sealed partial class GeminiStreamEncoder
{
    private void WriteToolFrame(ToolCallPart call, StringBuilder args, IBufferWriter<byte> output)
    {
        _sawToolCall = true;
        var w = BeginFrame(output);
        GeminiPartWriter.Write(w, call with { ArgumentsJson = args.ToString() }, native: false, output: true);
        EndFrame(w, null, null, output);
    }

    /// <summary>Writes every held tool call, in index order; blocks a (malformed) sequence never stopped included.</summary>
    private void FlushTools(IBufferWriter<byte> output)
    {
        while (_tools.Count > 0)
        {
            var first = int.MaxValue;
            foreach (var index in _tools.Keys)
            {
                first = Math.Min(first, index);
            }

            _tools.Remove(first, out var tool);
            WriteToolFrame(tool!.Call, tool.Args, output);
        }
    }

    /// <summary>Writes the held tool calls whose blocks stopped, in index order, before other content.</summary>
    private void FlushStoppedTools(IBufferWriter<byte> output)
    {
        while (true)
        {
            var first = int.MaxValue;
            foreach (var (index, tool) in _tools)
            {
                if (tool.Stopped)
                {
                    first = Math.Min(first, index);
                }
            }

            if (first == int.MaxValue)
            {
                return;
            }

            _tools.Remove(first, out var next);
            WriteToolFrame(next!.Call, next.Args, output);
        }
    }

    /// <summary>A tool call being buffered: its start, its arguments so far, whether its block stopped.</summary>
    private sealed class ToolBuffer(ToolCallPart call)
    {
        public ToolCallPart Call { get; } = call;

        public StringBuilder Args { get; } = new();

        public bool Stopped { get; set; }
    }
}
