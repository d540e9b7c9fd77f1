namespace TileServer.Zarr.Reading;

/// <summary>A byte range to fetch and the inner chunks it serves.</summary>
internal sealed record RangeGroup(long Start, long End, IReadOnlyList<int> Members);

/// <summary>Merges byte ranges whose gaps are at most a threshold into fewer requests (pure, tested by tables).</summary>
internal static class RangePlanner
{
    public static List<RangeGroup> Coalesce(List<(long Start, long End, int Id)> ranges, long maxGap)
    {
        var groups = new List<RangeGroup>();
        if (ranges.Count == 0)
        {
            return groups;
        }

        ranges.Sort((a, b) => a.Start.CompareTo(b.Start));
        long start = ranges[0].Start, end = ranges[0].End;
        var members = new List<int> { ranges[0].Id };
        for (int i = 1; i < ranges.Count; i++)
        {
            var r = ranges[i];
            if (r.Start - end <= maxGap)
            {
                end = Math.Max(end, r.End);
                members.Add(r.Id);
            }
            else
            {
                groups.Add(new RangeGroup(start, end, members));
                (start, end, members) = (r.Start, r.End, [r.Id]);
            }
        }

        groups.Add(new RangeGroup(start, end, members));
        return groups;
    }
}
