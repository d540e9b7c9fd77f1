using System.Buffers;

namespace TileServer.Storage;

/// <summary>Reads response bodies into exactly-sized arrays, refusing short or oversized ones.</summary>
internal static class BodyReader
{
    /// <summary>
    /// Reads exactly <paramref name="expected"/> bytes. A body that ends early is a
    /// <see cref="TransientStoreException"/> (the connection broke off); one that goes on is an error.
    /// </summary>
    public static async ValueTask<byte[]> ReadExactlyAsync(Stream body, long expected, long maxBytes, string location, string key, CancellationToken cancellationToken)
    {
        if (expected > maxBytes || expected > Array.MaxLength)
        {
            throw new StoreException(location, key, $"object of {expected} bytes exceeds the limit of {maxBytes} bytes");
        }

        var buffer = GC.AllocateUninitializedArray<byte>((int)expected);
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await body.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new TransientStoreException(location, key, $"body truncated: got {read} of {expected} bytes");
            }

            read += n;
        }

        var probe = ArrayPool<byte>.Shared.Rent(1);
        try
        {
            if (await body.ReadAsync(probe.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) != 0)
            {
                throw new StoreException(location, key, $"body longer than the announced {expected} bytes");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(probe);
        }

        return buffer;
    }

    /// <summary>Reads a body of unannounced length, failing once it exceeds <paramref name="maxBytes"/>.</summary>
    public static async ValueTask<byte[]> ReadToEndAsync(Stream body, long maxBytes, string location, string key, CancellationToken cancellationToken)
    {
        long limit = Math.Min(maxBytes, Array.MaxLength);
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        int length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length >= limit)
                    {
                        throw new StoreException(location, key, $"object exceeds the limit of {maxBytes} bytes");
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                int n = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                length += n;
                if (length > limit)
                {
                    throw new StoreException(location, key, $"object exceeds the limit of {maxBytes} bytes");
                }
            }

            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
