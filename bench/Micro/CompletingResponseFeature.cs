using Microsoft.AspNetCore.Http.Features;

namespace LlmGateway.Bench.Micro;

/// <summary>
/// A response feature that runs its OnCompleted callbacks when told, as Kestrel does at the end of
/// a request. DefaultHttpContext's own feature drops them, so the pooled body registered for
/// dispose would never go back to the pool and every iteration would allocate a fresh buffer.
/// </summary>
internal sealed class CompletingResponseFeature : HttpResponseFeature
{
    private readonly List<(Func<object, Task> Callback, object State)> _completed = [];

    public override void OnCompleted(Func<object, Task> callback, object state) => _completed.Add((callback, state));

    public async Task CompleteAsync()
    {
        // Kestrel runs them last registered first.
        for (var i = _completed.Count - 1; i >= 0; i--)
        {
            await _completed[i].Callback(_completed[i].State);
        }

        _completed.Clear();
    }
}
