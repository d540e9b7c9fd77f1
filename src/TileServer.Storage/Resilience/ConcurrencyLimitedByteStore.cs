namespace TileServer.Storage;

/// <summary>
/// Bounds the reads in flight to one store (<see cref="ReadSlots"/>); further reads wait their turn. Sits under the
/// retry decorator, so that a read waiting to retry holds no slot.
/// </summary>
public sealed class ConcurrencyLimitedByteStore : ByteStoreDecorator
{
    public ConcurrencyLimitedByteStore(IByteStore inner, ReadSlots slots)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(slots);
        Slots = slots;
    }

    public ReadSlots Slots { get; }

    public override async ValueTask<byte[]?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        await Slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Inner.GetAsync(key, range, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Slots.Release();
        }
    }
}
