namespace TileServer.Delivery.Seeding;

/// <summary>A seed that cannot go on: the message says what to change (a zoom range, a setting, the target).</summary>
public sealed class SeedException : TileServerException
{
    public SeedException(FailureKind kind, string message, Exception? inner = null)
        : base(kind, message, inner)
    {
    }
}
