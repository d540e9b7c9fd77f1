namespace TileServer.Storage;

/// <summary>
/// The rules every remote store (HTTP, S3) applies around one read: a zero-length range is answered without a
/// request, and a read that outlives its deadline is a <see cref="TransientStoreException"/> (worth retrying),
/// unlike a cancellation by the caller.
/// </summary>
internal static class RemoteRead
{
    public static async ValueTask<byte[]?> WithDeadlineAsync(string location, string key, ByteRange? range, TimeSpan deadline,
        Func<CancellationToken, ValueTask<byte[]?>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (range is { IsSuffix: false, Length: 0 })
        {
            // No HTTP range expresses zero bytes; nothing to fetch.
            return [];
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            return await read(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransientStoreException(location, key, $"no complete answer within {deadline.TotalSeconds:0.###} s", ex);
        }
    }
}
