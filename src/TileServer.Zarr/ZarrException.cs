namespace TileServer.Zarr;

/// <summary>Metadata that cannot be understood (unsupported codec, malformed JSON, inconsistent shapes).</summary>
public class ZarrFormatException : TileServerException
{
    public ZarrFormatException(string path, string message, Exception? inner = null)
        : base(FailureKind.InvalidData, $"{message} (zarr node '{path}')", inner)
    {
        NodePath = path;
    }

    public string NodePath { get; }
}

/// <summary>A chunk whose bytes cannot be decoded (truncated, corrupt, checksum mismatch, size lies).</summary>
public class ChunkDecodeException : TileServerException
{
    public ChunkDecodeException(string arrayPath, string chunkKey, string message, Exception? inner = null)
        : base(FailureKind.InvalidData, $"cannot decode chunk '{chunkKey}' of array '{arrayPath}': {message}", inner)
    {
        ArrayPath = arrayPath;
        ChunkKey = chunkKey;
    }

    public string ArrayPath { get; }
    public string ChunkKey { get; }
}
