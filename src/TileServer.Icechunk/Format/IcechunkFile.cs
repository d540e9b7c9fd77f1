using ZstdSharp;

namespace TileServer.Icechunk.Format;

/// <summary>The kinds of Icechunk metadata file, as the header's file-type byte numbers them.</summary>
internal enum IcechunkFileType : byte
{
    Snapshot = 1,
    Manifest = 2,
    TransactionLog = 4,
    RepoInfo = 6,
}

/// <summary>The FlatBuffers payload of one metadata file and the spec version its header declares.</summary>
internal readonly record struct IcechunkPayload(byte SpecVersion, byte[] Bytes);

/// <summary>
/// The binary envelope every Icechunk metadata file shares: 12 magic bytes (<c>ICE🧊CHUNK</c>), a 24-byte
/// writer name, then one byte each for spec version, file type and compression (0 none, 1 zstd), then the
/// FlatBuffers payload. Each file says its own version, which is how repositories migrated from format 1
/// (old snapshots and manifests under a new repo info file) are read file by file.
/// </summary>
internal static class IcechunkFile
{
    public const int HeaderLength = 12 + 24 + 3;

    private static ReadOnlySpan<byte> Magic => "ICE🧊CHUNK"u8;

    public static bool HasMagic(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Magic);

    public static IcechunkPayload Decode(byte[] raw, IcechunkFileType expected, long maxPayloadBytes, string location, string key)
    {
        if (raw.Length < HeaderLength)
        {
            throw new IcechunkFormatException(location, key, $"file of {raw.Length} bytes is shorter than the {HeaderLength}-byte Icechunk header");
        }

        if (!raw.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new IcechunkFormatException(location, key, "file does not start with the Icechunk magic bytes");
        }

        byte version = raw[36];
        byte type = raw[37];
        byte compression = raw[38];
        if (version is not (1 or 2))
        {
            throw new IcechunkFormatException(location, key, $"spec version {version} is not supported (this reader knows versions 1 and 2)");
        }

        if (type != (byte)expected)
        {
            throw new IcechunkFormatException(location, key, $"file type {type} where a {expected} file (type {(byte)expected}) was expected");
        }

        var body = raw.AsMemory(HeaderLength);
        return compression switch
        {
            0 when body.Length <= maxPayloadBytes => new IcechunkPayload(version, body.ToArray()),
            0 => throw TooLarge(location, key, maxPayloadBytes),
            1 => new IcechunkPayload(version, Unzstd(body, maxPayloadBytes, location, key)),
            _ => throw new IcechunkFormatException(location, key, $"compression algorithm {compression} is not supported (0 none, 1 zstd)"),
        };
    }

    private static byte[] Unzstd(ReadOnlyMemory<byte> compressed, long maxBytes, string location, string key)
    {
        try
        {
            using var input = new MemoryStream(compressed.ToArray(), writable: false);
            using var zstd = new DecompressionStream(input);
            using var output = new MemoryStream((int)Math.Min(Math.Min(maxBytes, Array.MaxLength), compressed.Length * 4L + 256));
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = zstd.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + n > maxBytes)
                {
                    throw TooLarge(location, key, maxBytes);
                }

                output.Write(buffer, 0, n);
            }

            return output.ToArray();
        }
        catch (Exception ex) when (ex is ZstdException or IOException or InvalidDataException or ArgumentException)
        {
            throw new IcechunkFormatException(location, key, $"zstd payload cannot be decompressed: {ex.Message}", ex);
        }
    }

    private static IcechunkFormatException TooLarge(string location, string key, long maxBytes) =>
        new(location, key, $"payload is larger than the {maxBytes}-byte limit for one metadata file (IcechunkReaderOptions.MaxMetadataFileBytes)");
}
