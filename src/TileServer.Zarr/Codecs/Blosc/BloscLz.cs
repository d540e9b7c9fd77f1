namespace TileServer.Zarr.Codecs.Blosc;

/// <summary>
/// The BloscLZ decompressor (a FastLZ-style LZ77, c-blosc <c>blosclz_decompress</c>), bounds-checked:
/// every literal run and match is checked against input and output before it is copied.
/// </summary>
internal static class BloscLz
{
    private const int MaxDistance = 8191;

    /// <summary>Decodes into <paramref name="output"/>; returns the bytes written or -1 for corrupt input.</summary>
    public static int Decompress(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (input.Length == 0)
        {
            return output.Length == 0 ? 0 : -1;
        }

        int ip = 0;
        int op = 0;
        int ipEnd = input.Length;
        int ctrl = input[ip++] & 31;
        while (true)
        {
            if (ctrl >= 32)
            {
                int len = (ctrl >> 5) - 1;
                int ofs = (ctrl & 31) << 8;
                if (len == 6)
                {
                    int code;
                    do
                    {
                        if (ip >= ipEnd)
                        {
                            return -1;
                        }

                        code = input[ip++];
                        len += code;
                    }
                    while (code == 255);
                }

                if (ip >= ipEnd)
                {
                    return -1;
                }

                int low = input[ip++];
                len += 3;
                int dist = ofs + low;
                if (low == 255 && ofs == (31 << 8))
                {
                    if (ip + 2 > ipEnd)
                    {
                        return -1;
                    }

                    dist = ((input[ip] << 8) | input[ip + 1]) + MaxDistance;
                    ip += 2;
                }

                if (ip >= ipEnd)
                {
                    break;
                }

                ctrl = input[ip++];
                int refPos = op - dist - 1;
                if (refPos < 0 || op + len > output.Length)
                {
                    return -1;
                }

                if (dist == 0)
                {
                    output.Slice(op, len).Fill(output[op - 1]);
                }
                else if (dist + 1 >= len)
                {
                    output.Slice(refPos, len).CopyTo(output.Slice(op, len));
                }
                else
                {
                    for (int i = 0; i < len; i++)
                    {
                        output[op + i] = output[refPos + i];
                    }
                }

                op += len;
            }
            else
            {
                int run = ctrl + 1;
                if (ip + run > ipEnd || op + run > output.Length)
                {
                    return -1;
                }

                input.Slice(ip, run).CopyTo(output.Slice(op, run));
                ip += run;
                op += run;
                if (ip >= ipEnd)
                {
                    break;
                }

                ctrl = input[ip++];
            }
        }

        return op;
    }
}
