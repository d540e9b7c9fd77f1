using System.Buffers;

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

        // The three digit histograms in one pass.
        int[] counts = ArrayPool<int>.Shared.Rent(3 * Buckets);
        try
        {
            var all = counts.AsSpan(0, 3 * Buckets);
            all.Clear();
            foreach (uint key in keys)
            {
                all[(int)(key & (Buckets - 1))]++;
                all[Buckets + (int)((key >> Bits) & (Buckets - 1))]++;
                all[(2 * Buckets) + (int)(key >> (2 * Bits))]++;
            }

            bool carry = !weights.IsEmpty;
            var src = keys;
            var dst = keyScratch[..n];
            var wsrc = weights;
            var wdst = carry ? weightScratch[..n] : default;
            bool inScratch = false;
            for (int pass = 0; pass < 3; pass++)
            {
                int shift = pass * Bits;
                var digit = all.Slice(pass * Buckets, Buckets);
                if (digit[(int)((src[0] >> shift) & (Buckets - 1))] == n)
                {
                    // Every key has the same digit here: the order does not change.
                    continue;
                }

                int sum = 0;
                for (int b = 0; b < Buckets; b++)
                {
                    int c = digit[b];
                    digit[b] = sum;
                    sum += c;
                }

                for (int i = 0; i < n; i++)
                {
                    uint key = src[i];
                    int pos = digit[(int)((key >> shift) & (Buckets - 1))]++;
                    dst[pos] = key;
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
        finally
        {
            ArrayPool<int>.Shared.Return(counts);
        }
    }
}
