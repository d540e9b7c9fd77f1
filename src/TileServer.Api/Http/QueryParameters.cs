namespace TileServer.Api.Http;

/// <summary>
/// Unknown query parameters on data routes are a 400 naming them (and the closest known name), so a misspelt
/// <c>expresion=</c> never silently renders something else. Names match in any case: ASP.NET Core's query lookup is
/// case-insensitive, so a differently cased known name is honoured, not ignored (and OGC KVP names are case-insensitive).
/// </summary>
public static class QueryParameters
{
    public static void RequireKnown(IQueryCollection query, IEnumerable<string> known, params string[] more)
        => Check(query, known.Concat(more));

    /// <summary>As above, plus the parameters of an OGC standard (<paramref name="standard"/>, e.g. WMTS KVP names).</summary>
    public static void RequireKnown(IQueryCollection query, IEnumerable<string> known, IReadOnlyCollection<string> standard)
        => Check(query, known.Concat(standard));

    private static void Check(IQueryCollection query, IEnumerable<string> known)
    {
        var allowed = new HashSet<string>(known, StringComparer.OrdinalIgnoreCase);
        foreach (var key in query.Keys)
        {
            if (allowed.Contains(key))
            {
                continue;
            }

            string? near = allowed.Select(a => (Name: a, Distance: Distance(a, key))).Where(a => a.Distance <= 2).OrderBy(a => a.Distance).Select(a => a.Name).FirstOrDefault();
            string hint = near is not null ? $" Did you mean '{near}'?" : "";
            throw new BadRequestException(key, $"Unknown query parameter '{key}'.{hint} This route takes: {string.Join(", ", allowed.Order(StringComparer.OrdinalIgnoreCase))}.");
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
