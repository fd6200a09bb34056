namespace LlmGateway.ProviderKeys;

/// <summary>The random numbers the key pool draws on; replaced by a seeded source in tests.</summary>
public interface IRandomSource
{
    /// <summary>A number in [0, <paramref name="maxExclusive"/>).</summary>
    int Next(int maxExclusive);
}

/// <summary>A <see cref="Random"/> as an <see cref="IRandomSource"/>; <see cref="Shared"/> is thread-safe.</summary>
public sealed class RandomSource : IRandomSource
{
    private readonly Random _random;

    /// <summary>Wraps <paramref name="random"/>; a seeded <see cref="Random"/> is not thread-safe.</summary>
    public RandomSource(Random random) => _random = random;

    /// <summary>Backed by <see cref="Random.Shared"/>.</summary>
    public static RandomSource Shared { get; } = new(Random.Shared);

    /// <inheritdoc />
    public int Next(int maxExclusive) => _random.Next(maxExclusive);
}
