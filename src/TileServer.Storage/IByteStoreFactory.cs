namespace TileServer.Storage;

/// <summary>Opens a store from a location: a folder path, <c>file://</c>, <c>http(s)://</c> or <c>s3://bucket/prefix</c>.</summary>
public interface IByteStoreFactory
{
    IByteStore Open(string location);
}
