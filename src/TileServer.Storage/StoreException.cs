namespace TileServer.Storage;

/// <summary>A store could not deliver an object for a reason other than its absence.</summary>
public class StoreException : TileServerException
{
    public StoreException(string location, string key, string message, Exception? inner = null)
        : this(FailureKind.StoreUnavailable, location, key, message, inner)
    {
    }

    protected StoreException(FailureKind kind, string location, string key, string message, Exception? inner)
        : base(kind, $"{message} (store '{location}', key '{key}')", inner)
    {
        Location = location;
        Key = key;
    }

    public string Location { get; }
    public string Key { get; }
}
