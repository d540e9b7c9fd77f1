namespace TileServer.Api.Tests.Infrastructure;

/// <summary>
/// Compares our decoded tile values with a gdalwarp reference tile, with the tolerances the project states:
/// nearest — at least 99.5% of the reference's valid pixels identical; bilinear — mean absolute difference under
/// 0.5% of the reference's value range; in both, the nodata mask identical except on mask boundary pixels.
/// </summary>
public static class ReferenceComparison
{
    public sealed record Result(int Valid, int Identical, double MeanAbsDiff, double Range, int MaskMismatches, int NonBoundaryMaskMismatches)
    {
        public double IdenticalRatio => Valid == 0 ? 1 : Identical / (double)Valid;

        public override string ToString()
            => $"valid {Valid}, identical {Identical} ({IdenticalRatio:P3}), mean |diff| {MeanAbsDiff:G4} (range {Range:G4}), mask mismatches {MaskMismatches} ({NonBoundaryMaskMismatches} not on a boundary)";
    }

    public static Result Compare(float[] ours, float[] reference, int bands, int width, int height)
    {
        Assert.Equal(reference.Length, ours.Length);
        int plane = width * height;
        int valid = 0, identical = 0, maskMismatch = 0, nonBoundary = 0, both = 0;
        double sumDiff = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int b = 0; b < bands; b++)
        {
            for (int i = 0; i < plane; i++)
            {
                float r = reference[(b * plane) + i], o = ours[(b * plane) + i];
                bool rv = !float.IsNaN(r), ov = !float.IsNaN(o);
                if (rv)
                {
                    valid++;
                    min = Math.Min(min, r);
                    max = Math.Max(max, r);
                }

                if (rv != ov)
                {
                    maskMismatch++;
                    if (!IsMaskBoundary(reference, b * plane, width, height, i % width, i / width))
                    {
                        nonBoundary++;
                    }

                    continue;
                }

                if (rv && ov)
                {
                    both++;
                    double d = Math.Abs(o - r);
                    sumDiff += d;
                    if (d <= 1e-5 * Math.Max(1, Math.Abs(r)))
                    {
                        identical++;
                    }
                }
            }
        }

        return new Result(valid, identical, both == 0 ? 0 : sumDiff / both, valid == 0 ? 0 : max - min, maskMismatch, nonBoundary);
    }

    /// <summary>True when the 3×3 neighbourhood of the pixel in the reference holds both data and nodata (or touches the tile edge next to nodata).</summary>
    private static bool IsMaskBoundary(float[] reference, int offset, int width, int height, int x, int y)
    {
        bool center = !float.IsNaN(reference[offset + (y * width) + x]);
        for (int dy = -1; dy <= 1; dy++)
        {
            for (int dx = -1; dx <= 1; dx++)
            {
                int nx = x + dx, ny = y + dy;
                if (nx < 0 || ny < 0 || nx >= width || ny >= height)
                {
                    continue;
                }

                if (!float.IsNaN(reference[offset + (ny * width) + nx]) != center)
                {
                    return true;
                }
            }
        }

        return false;
    }

    public static void AssertMatches(string label, string method, Result r)
    {
        Assert.True(r.NonBoundaryMaskMismatches == 0, $"{label}: nodata mask differs away from the mask boundary: {r}");
        if (method == "near")
        {
            Assert.True(r.IdenticalRatio >= 0.995, $"{label}: fewer than 99.5% of valid pixels identical: {r}");
        }
        else
        {
            double limit = Math.Max(r.Range * 0.005, 1e-6);
            Assert.True(r.MeanAbsDiff < limit, $"{label}: mean |diff| {r.MeanAbsDiff} not under 0.5% of the range ({limit}): {r}");
        }
    }
}
