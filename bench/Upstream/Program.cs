using LlmGateway.Bench.Upstream;

// The benchmark's fake provider. Arguments:
//   --urls http://127.0.0.1:<port>   --Events 24   --IntervalMs 5
// POST /v1/chat/completions answers in OpenAI's format, POST /v1/messages in Anthropic's. A body
// with "stream":true gets a paced SSE stream (Events content events, IntervalMs apart, each
// carrying its write time); otherwise a fixed JSON answer with Content-Length. A body containing
// "bench-hold" gets one content event and then an idle open stream until POST /bench/release (or the client leaves).
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var pacing = new Pacing(
    builder.Configuration.GetValue("Events", 24),
    TimeSpan.FromMilliseconds(builder.Configuration.GetValue("IntervalMs", 5.0)));

var app = builder.Build();
app.Run(context => Replies.AnswerAsync(context, pacing));
await app.RunAsync();
