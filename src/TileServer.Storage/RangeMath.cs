namespace TileServer.Storage;

/// <summary>Pure decisions about byte ranges shared by the stores.</summary>
public static class RangeMath
{
    /// <summary>
    /// Where a requested range falls inside an object of <paramref name="size"/> bytes, with the
    /// <see cref="IByteStore"/> rules: no range = all, a range past the end is truncated, one that starts
    /// beyond the end is absent (false). A suffix longer than the object is the whole object.
    /// </summary>
    public static bool TryResolve(ByteRange? range, long size, out long start, out long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (range is not { } r)
        {
            start = 0;
            length = size;
            return true;
        }

        if (r.IsSuffix)
        {
            length = Math.Min(r.Length, size);
            start = size - length;
            return true;
        }

        // An empty object still answers a read at offset 0, so that "read the whole thing" never depends on size.
        if (r.Start >= size && !(r.Start == 0 && size == 0))
        {
            start = 0;
            length = 0;
            return false;
        }

        start = r.Start;
        length = Math.Min(r.Length, size - r.Start);
        return true;
    }

    /// <summary>
    /// Checks a server's <c>Content-Range: bytes from-to/total</c> against what was asked; returns a
    /// description of the mismatch, or null when the answer is the requested range (possibly cut at the
    /// end of the object, which the contract allows).
    /// </summary>
    public static string? CheckContentRange(ByteRange requested, long from, long to, long? total)
    {
        if (from < 0 || to < from)
        {
            return $"malformed Content-Range {from}-{to}";
        }

        long length = to - from + 1;
        if (total is { } t && to >= t)
        {
            return $"Content-Range {from}-{to} lies beyond the object size {t}";
        }

        if (requested.IsSuffix)
        {
            string answer = $"bytes {from}-{to}/{(total is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "*")}";
            bool matches = total is { } size
                ? to == size - 1 && length == Math.Min(requested.Length, size)
                : length <= requested.Length;
            return matches ? null : $"asked for the last {requested.Length} bytes, got {answer}";
        }

        if (from != requested.Start || length > requested.Length)
        {
            return $"asked for {requested}, got bytes {from}-{to}";
        }

        bool cutAtEnd = total is { } s2 && to == s2 - 1;
        return length == requested.Length || cutAtEnd ? null : $"asked for {requested}, got bytes {from}-{to} without reaching the end of the object";
    }
}
