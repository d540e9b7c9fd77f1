using Microsoft.Extensions.Primitives;

namespace TileServer.Documents.Requests;

/// <summary>
/// A request's query parameters, whatever carried them (a URL's query string, a test): names and their values. Names
/// match in any case, as ASP.NET Core's query lookup and OGC KVP encoding have them; the parsers of this folder read
/// the values, so the HTTP side only hands its query over.
/// </summary>
public sealed class RequestParameters
{
    public static readonly RequestParameters Empty = new([]);

    private readonly Dictionary<string, StringValues> _values = new(StringComparer.OrdinalIgnoreCase);

    public RequestParameters(IEnumerable<KeyValuePair<string, StringValues>> query)
    {
        foreach (var (key, values) in query)
        {
            _values[key] = _values.TryGetValue(key, out var earlier) ? StringValues.Concat(earlier, values) : values;
        }
    }

    /// <summary>Every parameter given, each name once with all its values.</summary>
    public IEnumerable<KeyValuePair<string, StringValues>> All => _values;

    /// <summary>The values given for <paramref name="name"/>, empty when absent.</summary>
    public StringValues this[string name] => _values.TryGetValue(name, out var values) ? values : StringValues.Empty;

    public bool Contains(string name) => _values.ContainsKey(name);

    /// <summary>The first value, null when absent.</summary>
    public string? First(string name) => this[name].FirstOrDefault();

    /// <summary>Every value given (empty ones included), for parameters that may repeat.</summary>
    public IReadOnlyList<string> List(string name) => [.. this[name].Where(v => v is not null).Select(v => v!)];

    /// <summary>The values that are not empty, in order.</summary>
    public IEnumerable<string> NonEmpty(string name) => this[name].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!);

    /// <summary>The value of a parameter given at most once (trimmed), null when absent; given twice it is a 400.</summary>
    public string? Single(string name)
    {
        var values = this[name];
        if (values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            throw new BadRequestException(name, $"'{name}' may be given only once.");
        }

        return values[0]?.Trim();
    }

    /// <summary>
    /// Unknown parameters are a 400 naming them (and the closest known name), so a misspelt <c>expresion=</c> never
    /// silently renders something else. Names match in any case, as lookups do: a differently cased known name is
    /// honoured, not ignored (and OGC KVP names are case-insensitive).
    /// </summary>
    public void RequireKnown(IEnumerable<string> known, params string[] more)
    {
        var allowed = new HashSet<string>(known.Concat(more), StringComparer.OrdinalIgnoreCase);
        foreach (var key in _values.Keys)
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
