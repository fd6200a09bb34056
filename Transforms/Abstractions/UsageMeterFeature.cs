using LlmGateway.Providers.Canonical;

namespace LlmGateway.Transforms.Abstractions;

/// <summary>
/// What one request's answer used, as far as the gateway saw it: the provider's final usage,
/// counters of what was streamed (for estimates when no usage arrives), the time of the first
/// token, the model and finish reason the provider reported, whether anything reached the client,
/// and how the answer ended. Set on every LLM request but token counting by model extraction, as
/// the request arrives (one meter per request, shared); written by the translation response
/// transform or the usage tap (one of them per request, on the thread copying the body) and read
/// after the response by the budget's settlement, the tokens-per-minute correction and telemetry.
/// </summary>
public sealed class UsageMeterFeature
{
    private readonly TimeProvider _time;
    private readonly long _started;
    private long _firstToken;
    private int _completion;
    private long _outputChars;
    private long _events;
    private int _upstreamStatus;
    private int _outputStarted;
    private long _ended;
    private Task? _drain;

    /// <summary>Creates a meter whose clock starts now.</summary>
    public UsageMeterFeature(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _started = time.GetTimestamp();
    }

    /// <summary>The usage the provider reported at the end; null when none arrived.</summary>
    public TokenUsage? Usage { get; private set; }

    /// <summary>Input usage the provider reported up front (Anthropic <c>message_start</c>), for estimates.</summary>
    public TokenUsage? StartUsage { get; private set; }

    /// <summary>The model the provider said answered (stream start, or the buffered answer); null when none said.</summary>
    public string? ResponseModel { get; private set; }

    /// <summary>Why generation stopped, as the provider put it (its raw value when known); null when not reported.</summary>
    public string? FinishReason { get; private set; }

    /// <summary>The upstream's HTTP status; 0 when no upstream answer arrived.</summary>
    public int UpstreamStatus
    {
        get => Volatile.Read(ref _upstreamStatus);
        set => Volatile.Write(ref _upstreamStatus, value);
    }

    /// <summary>Canonical stream events seen.</summary>
    public long Events => Interlocked.Read(ref _events);

    /// <summary>Characters of generated text, reasoning and tool arguments streamed (or, for a buffered answer that reported no usage, its size).</summary>
    public long OutputChars => Interlocked.Read(ref _outputChars);

    /// <summary>Whether any bytes of a successful answer were handed to the client.</summary>
    public bool OutputStarted => Volatile.Read(ref _outputStarted) != 0;

    /// <summary>How the answer ended; <see cref="UsageCompletion.Pending"/> until someone reports it.</summary>
    public UsageCompletion Completion => (UsageCompletion)Volatile.Read(ref _completion);

    /// <summary>Time from the meter's creation to the first generated token; null when none was seen.</summary>
    public TimeSpan? TimeToFirstToken
    {
        get
        {
            var first = Interlocked.Read(ref _firstToken);
            return first == 0 ? null : _time.GetElapsedTime(_started, first);
        }
    }

    /// <summary>Time since the meter was created.</summary>
    public TimeSpan Elapsed => _time.GetElapsedTime(_started);

    /// <summary>
    /// Marks the end of the request (the first call wins) and returns the time from the meter's
    /// creation to it, so everyone who reports the request (the usage record, telemetry) gives it
    /// the same duration.
    /// </summary>
    public TimeSpan MarkEnded()
    {
        Interlocked.CompareExchange(ref _ended, _time.GetTimestamp(), 0);
        return _time.GetElapsedTime(_started, Interlocked.Read(ref _ended));
    }

    /// <summary>
    /// Completes when a drain of the upstream after the client left is over (at once when there is
    /// none). Drains are bounded in time and bytes, so whoever settles the request can wait for it.
    /// </summary>
    public Task Drained => Volatile.Read(ref _drain) ?? Task.CompletedTask;

    /// <summary>Records that the upstream is read on after the client left, until <paramref name="drain"/> completes.</summary>
    public void BeginDrain(Task drain) => Volatile.Write(ref _drain, drain);

    /// <summary>
    /// The usage to charge once the answer is over: the provider's own when it arrived; otherwise an
    /// estimate (<paramref name="estimated"/> set) from what the gateway can vouch for, never zero:
    /// the input the provider reported up front or <paramref name="inputEstimate"/>, and the output
    /// streamed at about four characters a token.
    /// </summary>
    public TokenUsage FinalUsage(int inputEstimate, out bool estimated)
    {
        if (Usage is { } usage)
        {
            estimated = false;
            return usage;
        }

        estimated = true;
        var input = StartUsage is { InputTokens: > 0 } start ? start.InputTokens : inputEstimate;
        var output = (int)Math.Clamp((OutputChars + 3) / 4, 1, int.MaxValue);
        return new TokenUsage(Math.Max(input, 1), output);
    }

    /// <summary>Records the provider's final usage (a later report replaces an earlier one: usage is cumulative).</summary>
    public void ReportUsage(TokenUsage? usage)
    {
        if (usage is not null)
        {
            Usage = usage;
        }
    }

    /// <summary>Records what a buffered answer says about itself: the model that answered and why it stopped.</summary>
    public void ReportResponse(string? model, StopReason? stopReason, string? rawStopReason)
    {
        if (!string.IsNullOrEmpty(model))
        {
            ResponseModel = model;
        }

        if ((rawStopReason ?? FinishReasons.Name(stopReason)) is { } reason)
        {
            FinishReason = reason;
        }
    }

    /// <summary>Records one canonical event: output counters, first-token time, usage, model and stop reason.</summary>
    public void ReportEvent(StreamEvent streamEvent)
    {
        Interlocked.Increment(ref _events);
        switch (streamEvent)
        {
            case MessageStartEvent start:
                StartUsage = start.Usage ?? StartUsage;
                if (start.Model.Length > 0)
                {
                    ResponseModel = start.Model;
                }

                break;
            case TextDeltaEvent text:
                Generated(text.Text.Length);
                break;
            case ThinkingDeltaEvent thinking:
                Generated(thinking.Text.Length);
                break;
            case ToolArgumentsDeltaEvent args:
                Generated(args.PartialJson.Length);
                break;
            case BlockStartEvent { Block: ToolCallPart call }:
                Generated(call.Name.Length);
                break;
            case MessageDeltaEvent delta:
                ReportUsage(delta.Usage);
                FinishReason = delta.RawStopReason ?? FinishReasons.Name(delta.StopReason) ?? FinishReason;
                break;
            case ErrorEvent:
                TryComplete(UsageCompletion.Error);
                break;
        }
    }

    /// <summary>Adds to the output size when no events are decoded (a buffered answer without usage).</summary>
    public void ReportOutputChars(long chars) => Interlocked.Add(ref _outputChars, chars);

    /// <summary>Records that bytes of the answer were handed to the client.</summary>
    public void ReportOutput() => Volatile.Write(ref _outputStarted, 1);

    /// <summary>Records how the answer ended; the first report wins.</summary>
    public bool TryComplete(UsageCompletion completion)
        => completion != UsageCompletion.Pending
            && Interlocked.CompareExchange(ref _completion, (int)completion, (int)UsageCompletion.Pending) == (int)UsageCompletion.Pending;

    private void Generated(int chars)
    {
        Interlocked.Add(ref _outputChars, chars);
        if (Interlocked.Read(ref _firstToken) == 0)
        {
            Interlocked.CompareExchange(ref _firstToken, _time.GetTimestamp(), 0);
        }
    }
}
