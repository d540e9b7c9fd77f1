namespace TileServer.Storage;

/// <summary>
/// Bounds the reads in flight to one store (<see cref="ReadSlots"/>); further reads wait their turn. Sits under the
/// retry decorator, so that a read waiting to retry holds no slot.
/// </summary>
public sealed class ConcurrencyLimitedByteStore : IByteStore, IByteStoreDecorator
{
    private readonly IByteStore _inner;

    public ConcurrencyLimitedByteStore(IByteStore inner, ReadSlots slots)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(slots);
        _inner = inner;
        Slots = slots;
    }

    public string Location => _inner.Location;

    public IByteStore Inner => _inner;

    public ReadSlots Slots { get; }

    public async ValueTask<byte[]?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        await Slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await _inner.GetAsync(key, range, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Slots.Release();
        }
    }
}
