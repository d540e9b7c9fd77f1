namespace TileServer.Storage;

/// <summary>A store that adds one concern (retries, limits, metrics …) around another.</summary>
public interface IByteStoreDecorator
{
    IByteStore Inner { get; }
}

/// <summary>
/// The part every decorator shares: it holds the store it wraps, answers to that store's <see cref="Location"/>, and
/// adds its concern in <see cref="GetAsync"/>.
/// </summary>
public abstract class ByteStoreDecorator : IByteStore, IByteStoreDecorator
{
    protected ByteStoreDecorator(IByteStore inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Inner = inner;
    }

    public string Location => Inner.Location;

    public IByteStore Inner { get; }

    public abstract ValueTask<byte[]?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default);
}

/// <summary>Walks decorator chains.</summary>
public static class ByteStoreChain
{
    /// <summary>The store that actually holds the bytes, under every decorator.</summary>
    public static IByteStore Innermost(IByteStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        while (store is IByteStoreDecorator decorator)
        {
            store = decorator.Inner;
        }

        return store;
    }

    /// <summary>The first decorator of type <typeparamref name="T"/> in the chain, or null.</summary>
    public static T? Find<T>(IByteStore store)
        where T : class, IByteStore
    {
        ArgumentNullException.ThrowIfNull(store);
        for (IByteStore? s = store; s is not null; s = (s as IByteStoreDecorator)?.Inner)
        {
            if (s is T found)
            {
                return found;
            }
        }

        return null;
    }
}
