namespace TileServer.Fuzz;

/// <summary>How inputs of a target are best mutated: as raw bytes (chunks, shards) or as text (JSON, WKT, queries).</summary>
public enum InputKind
{
    Binary,
    Text,
}

/// <summary>
/// One parser that sees outside bytes, driven with one input at a time. <see cref="Run"/> throws
/// <see cref="FuzzViolation"/> when the parser breaks its contract: an exception other than the kinds it is
/// documented to throw, or allocation beyond what the input's size (and our own caps) can justify.
/// </summary>
public abstract class FuzzTarget
{
    private IReadOnlyList<byte[]>? _seeds;

    /// <summary>The name used on the command line and in test names.</summary>
    public abstract string Name { get; }

    /// <summary>The entry point fuzzed and what it may throw (docs/untrusted-input.md).</summary>
    public abstract string Contract { get; }

    public abstract InputKind Kind { get; }

    /// <summary>Inputs taken from the repository's fixtures (tests/data, data/demo, embedded data); never empty.</summary>
    public IReadOnlyList<byte[]> Seeds => _seeds ??= LoadSeeds();

    /// <summary>Runs one input through the parser and checks the invariants; see <see cref="Invariants"/>.</summary>
    public abstract void Run(byte[] input);

    protected abstract IReadOnlyList<byte[]> LoadSeeds();

    /// <summary>Runs every seed once so that one-time initialisation (static tables, caches) is not charged to an input.</summary>
    public void WarmUp()
    {
        using var scope = Invariants.WarmingUp();
        foreach (var seed in Seeds)
        {
            Run(seed);
        }
    }
}

/// <summary>A broken parser contract; the message names the target, what escaped or how much was allocated.</summary>
public sealed class FuzzViolation : Exception
{
    public FuzzViolation(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
