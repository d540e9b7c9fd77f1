namespace TileServer.Reading.Statistics;

/// <summary>
/// LSD radix sort of float values (as order-preserving 32-bit keys), optionally carrying a weight per value: linear
/// time, so the statistics of a megapixel stay within milliseconds where a comparison sort would not. Passes whose
/// digit is the same for every key (narrow-ranged data) are skipped.
/// </summary>
internal static class RadixSort
{
    private const int Bits = 11;
    private const int Buckets = 1 << Bits;

    /// <summary>The key that orders like the float (NaN excluded): flip all bits of negatives, the sign bit of the rest.</summary>
    public static uint Key(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value == 0 ? 0f : value);
        return (bits & 0x8000_0000) != 0 ? ~bits : bits | 0x8000_0000;
    }

    public static float Value(uint key)
        => BitConverter.UInt32BitsToSingle((key & 0x8000_0000) != 0 ? key & 0x7FFF_FFFF : ~key);

    /// <summary>Sorts <paramref name="keys"/> (with <paramref name="weights"/> alongside when not empty); scratch spans are as long.</summary>
    public static void Sort(Span<uint> keys, Span<uint> keyScratch, Span<float> weights, Span<float> weightScratch)
    {
        int n = keys.Length;
        if (n < 2)
        {
            return;
        }

        bool carry = !weights.IsEmpty;
        Span<int> counts = stackalloc int[Buckets];
        var src = keys;
        var dst = keyScratch[..n];
        var wsrc = weights;
        var wdst = carry ? weightScratch[..n] : default;
        bool inScratch = false;
        for (int shift = 0; shift < 32; shift += Bits)
        {
            counts.Clear();
            for (int i = 0; i < n; i++)
            {
                counts[(int)((src[i] >> shift) & (Buckets - 1))]++;
            }

            if (counts[(int)((src[0] >> shift) & (Buckets - 1))] == n)
            {
                continue;
            }

            int sum = 0;
            for (int b = 0; b < Buckets; b++)
            {
                int c = counts[b];
                counts[b] = sum;
                sum += c;
            }

            for (int i = 0; i < n; i++)
            {
                int pos = counts[(int)((src[i] >> shift) & (Buckets - 1))]++;
                dst[pos] = src[i];
                if (carry)
                {
                    wdst[pos] = wsrc[i];
                }
            }

            var t = src;
            src = dst;
            dst = t;
            if (carry)
            {
                var tw = wsrc;
                wsrc = wdst;
                wdst = tw;
            }

            inScratch = !inScratch;
        }

        if (inScratch)
        {
            src.CopyTo(keys);
            if (carry)
            {
                wsrc.CopyTo(weights);
            }
        }
    }
}
