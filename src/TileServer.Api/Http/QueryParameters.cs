namespace TileServer.Api.Http;

/// <summary>
/// Unknown query parameters on data routes are a 400 naming them (and the closest known name), so a misspelt
/// <c>expresion=</c> never silently renders something else.
/// </summary>
public static class QueryParameters
{
    public static void RequireKnown(IQueryCollection query, IEnumerable<string> known, params string[] more)
    {
        var allowed = new HashSet<string>(known, StringComparer.Ordinal);
        allowed.UnionWith(more);
        foreach (var key in query.Keys)
        {
            if (allowed.Contains(key))
            {
                continue;
            }

            string? near = allowed.Select(a => (Name: a, Distance: Distance(a, key))).Where(a => a.Distance <= 2).OrderBy(a => a.Distance).Select(a => a.Name).FirstOrDefault();
            string hint = near is not null ? $" Did you mean '{near}'?" : "";
            throw new BadRequestException(key, $"Unknown query parameter '{key}'.{hint} This route takes: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}.");
        }
    }

    /// <summary>Levenshtein distance (names are short).</summary>
    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 2)
        {
            return int.MaxValue;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
