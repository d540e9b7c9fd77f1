using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace TileServer.Storage;

/// <summary>
/// Checks a whole object's body against the digest its server sent, when it sent one: <c>Content-MD5</c>, GCS's
/// <c>x-goog-hash</c> (md5 or crc32c) or an S3 ETag that is the MD5 of the object (single-part upload, no KMS or
/// customer-key encryption). A mismatch means the bytes were damaged on the way.
/// </summary>
public static class BodyChecksum
{
    /// <summary>The digests an answer offers; all optional.</summary>
    public readonly record struct Digests(byte[]? Md5, uint? Crc32C)
    {
        public bool Any => Md5 is not null || Crc32C is not null;
    }

    /// <summary>Null when the body matches (or nothing can be checked); otherwise what does not match.</summary>
    public static string? Verify(ReadOnlySpan<byte> body, Digests digests)
    {
        if (digests.Md5 is { } md5)
        {
            Span<byte> actual = stackalloc byte[16];
            MD5.HashData(body, actual);
            if (!actual.SequenceEqual(md5))
            {
                return $"body of {body.Length} bytes does not match its MD5 digest";
            }
        }
        else if (digests.Crc32C is { } crc && Crc32C(body) != crc)
        {
            return $"body of {body.Length} bytes does not match its CRC32C checksum";
        }

        return null;
    }

    /// <summary>Digests from GCS's <c>x-goog-hash: crc32c=…,md5=…</c> (base64 values).</summary>
    public static Digests FromGoogleHash(IEnumerable<string> values)
    {
        byte[]? md5 = null;
        uint? crc = null;
        foreach (var value in values)
        {
            foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (part.StartsWith("md5=", StringComparison.OrdinalIgnoreCase) && TryBase64(part[4..], 16, out var m))
                {
                    md5 = m;
                }
                else if (part.StartsWith("crc32c=", StringComparison.OrdinalIgnoreCase) && TryBase64(part[7..], 4, out var c))
                {
                    crc = BinaryPrimitives.ReadUInt32BigEndian(c);
                }
            }
        }

        return new Digests(md5, crc);
    }

    /// <summary>
    /// The MD5 an S3 ETag stands for, or null when it stands for none: multipart ETags (<c>…-N</c>) and objects encrypted
    /// with KMS or a customer key have ETags that are not the MD5 of the bytes.
    /// </summary>
    public static byte[]? Md5FromS3ETag(string? etag, string? serverSideEncryption, bool customerKey)
    {
        if (etag is null || customerKey || (serverSideEncryption is { } sse && sse.StartsWith("aws:kms", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var hex = etag.Trim().Trim('"');
        if (hex.Length != 32 || hex.AsSpan().IndexOfAnyExcept("0123456789abcdefABCDEF") >= 0)
        {
            return null;
        }

        return Convert.FromHexString(hex);
    }

    /// <summary>CRC-32C (Castagnoli), the checksum GCS and Zarr's crc32c codec use.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }

    private static bool TryBase64(string text, int length, out byte[] bytes)
    {
        bytes = new byte[length];
        return Convert.TryFromBase64String(text, bytes, out int written) && written == length;
    }
}
