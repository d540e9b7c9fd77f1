namespace TileServer.Zarr.Codecs;

/// <summary>Reads a decompression stream into a buffer whose size is checked before it is allocated.</summary>
internal static class StreamDecoding
{
    public static byte[] ReadAll(Stream stream, long? expectedSize, long maxBytes, string codec)
    {
        if (expectedSize is { } expected)
        {
            if (expected > maxBytes || expected > Array.MaxLength)
            {
                throw new CodecException($"{codec}: expected {expected} decoded bytes, more than the limit of {maxBytes}");
            }

            var buffer = GC.AllocateUninitializedArray<byte>((int)expected);
            int read = 0;
            while (read < buffer.Length)
            {
                int n = stream.Read(buffer, read, buffer.Length - read);
                if (n == 0)
                {
                    throw new CodecException($"{codec}: decoded {read} bytes, expected {expected} (truncated data?)");
                }

                read += n;
            }

            Span<byte> probe = stackalloc byte[1];
            if (stream.Read(probe) != 0)
            {
                throw new CodecException($"{codec}: decodes to more than the expected {expected} bytes");
            }

            return buffer;
        }

        using var output = new MemoryStream();
        var chunk = new byte[81920];
        int got;
        while ((got = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (output.Length + got > maxBytes)
            {
                throw new CodecException($"{codec}: decodes to more than the limit of {maxBytes} bytes");
            }

            output.Write(chunk, 0, got);
        }

        return output.ToArray();
    }
}
