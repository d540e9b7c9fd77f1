using TileServer.Api.Catalog;
using TileServer.Api.Errors;
using TileServer.Api.Rendering;

namespace TileServer.Api.Endpoints.Standards;

/// <summary>
/// The OGC API <c>datetime</c> parameter as a <c>sel</c> on the time dimension: an instant picks the nearest time,
/// an interval (<c>start/end</c>, <c>..</c> for an open end) the latest time inside it. A pure function.
/// </summary>
public static class DateTimeSelection
{
    public static TileQuery Apply(TileQuery query, DatasetEntry entry, string? datetime)
    {
        if (string.IsNullOrWhiteSpace(datetime))
        {
            return query;
        }

        var ds = entry.Dataset!;
        string variableName = query.Variables.Count > 0 ? query.Variables[0] : entry.Options.DefaultVariable ?? ds.VariableNames[0];
        var time = ds.FindVariable(variableName)?.OtherDimensions.FirstOrDefault(d => d.IsTime && d.Time is not null && d.Values is { Count: > 0 } && d.Labels is not null)
            ?? throw ApiProblemException.BadParameter("datetime", $"Variable '{variableName}' of dataset '{entry.Id}' has no time dimension to select with datetime.");
        if (query.Selections.Any(s => s.Key == time.Name))
        {
            throw ApiProblemException.BadParameter("datetime", $"Give either datetime or sel={time.Name}=..., not both.");
        }

        var values = time.Values!;
        int index;
        string text = datetime.Trim();
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            double target = Parse(time.Time!, text);
            index = 0;
            for (int i = 1; i < values.Count; i++)
            {
                if (Math.Abs(values[i] - target) < Math.Abs(values[index] - target))
                {
                    index = i;
                }
            }
        }
        else
        {
            string startText = text[..slash].Trim(), endText = text[(slash + 1)..].Trim();
            double start = startText is "" or ".." ? double.NegativeInfinity : Parse(time.Time!, startText);
            double end = endText is "" or ".." ? double.PositiveInfinity : Parse(time.Time!, endText);
            if (start > end)
            {
                throw ApiProblemException.BadParameter("datetime", $"The interval '{text}' ends before it starts.");
            }

            index = -1;
            for (int i = 0; i < values.Count; i++)
            {
                if (values[i] >= start && values[i] <= end && (index < 0 || values[i] > values[index]))
                {
                    index = i;
                }
            }

            if (index < 0)
            {
                throw ApiProblemException.NotFound("No data at that time", $"No time of dataset '{entry.Id}' lies in '{text}' (times run from {time.Labels![0]} to {time.Labels[^1]}).", "datetime");
            }
        }

        return query with { Selections = [.. query.Selections, new(time.Name, time.Labels![index])] };
    }

    private static double Parse(GeoZarr.CfTime time, string text)
        => time.FromIso(text) ?? throw ApiProblemException.BadParameter("datetime", $"'{text}' is not an RFC 3339 date-time (e.g. 2018-02-12T23:20:50Z), nor an interval start/end with '..' for an open end.");
}
