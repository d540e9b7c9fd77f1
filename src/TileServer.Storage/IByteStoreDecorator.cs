namespace TileServer.Storage;

/// <summary>A store that adds one concern (retries, limits, metrics …) around another.</summary>
public interface IByteStoreDecorator
{
    IByteStore Inner { get; }
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
