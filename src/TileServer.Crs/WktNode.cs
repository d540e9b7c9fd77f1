using System.Globalization;
using System.Text;

namespace TileServer.Crs;

/// <summary>
/// One bracketed WKT element (WKT1 and WKT2 share the syntax <c>KEYWORD[arg, arg, …]</c>). Arguments are quoted
/// strings, numbers, bare enumeration words (<c>NORTH</c>, <c>east</c>) or nested elements.
/// </summary>
internal sealed class WktNode
{
    private const int MaxDepth = 64;
    private const int MaxLength = 1 << 20;

    private WktNode(string keyword) => Keyword = keyword;

    public string Keyword { get; }

    /// <summary>Each argument is a <see cref="string"/> (quoted or bare), a <see cref="double"/> or a <see cref="WktNode"/>.</summary>
    public List<object> Arguments { get; } = [];

    public string? Name => Arguments.Count > 0 ? Arguments[0] as string : null;

    public IEnumerable<WktNode> Children
    {
        get
        {
            foreach (var a in Arguments)
            {
                if (a is WktNode n)
                {
                    yield return n;
                }
            }
        }
    }

    public WktNode? Child(params string[] keywords)
    {
        foreach (var c in Children)
        {
            foreach (var k in keywords)
            {
                if (c.Keyword.Equals(k, StringComparison.OrdinalIgnoreCase))
                {
                    return c;
                }
            }
        }

        return null;
    }

    public IEnumerable<WktNode> ChildrenNamed(params string[] keywords)
    {
        foreach (var c in Children)
        {
            foreach (var k in keywords)
            {
                if (c.Keyword.Equals(k, StringComparison.OrdinalIgnoreCase))
                {
                    yield return c;
                    break;
                }
            }
        }
    }

    public bool Is(params string[] keywords)
    {
        foreach (var k in keywords)
        {
            if (Keyword.Equals(k, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public double Number(int index) =>
        index < Arguments.Count && Arguments[index] is double d
            ? d
            : throw new CrsException($"WKT {Keyword}[…] has no number at position {index + 1}.");

    public string Text(int index) =>
        index < Arguments.Count && Arguments[index] is string s
            ? s
            : throw new CrsException($"WKT {Keyword}[…] has no text at position {index + 1}.");

    public static WktNode Parse(string wkt)
    {
        ArgumentNullException.ThrowIfNull(wkt);
        if (wkt.Length > MaxLength)
        {
            throw new CrsException($"WKT is too long ({wkt.Length} characters).");
        }

        int pos = 0;
        var node = ParseNode(wkt, ref pos, 0);
        SkipSpace(wkt, ref pos);
        if (pos != wkt.Length)
        {
            throw new CrsException($"Unexpected text after the WKT at position {pos}.");
        }

        return node;
    }

    private static WktNode ParseNode(string s, ref int pos, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new CrsException("WKT is nested too deeply.");
        }

        SkipSpace(s, ref pos);
        int start = pos;
        while (pos < s.Length && (char.IsAsciiLetterOrDigit(s[pos]) || s[pos] == '_'))
        {
            pos++;
        }

        if (pos == start)
        {
            throw new CrsException($"Invalid WKT: expected a keyword at position {pos}.");
        }

        var node = new WktNode(s[start..pos]);
        SkipSpace(s, ref pos);
        if (pos >= s.Length || (s[pos] != '[' && s[pos] != '('))
        {
            throw new CrsException($"Invalid WKT: expected '[' after {node.Keyword} at position {pos}.");
        }

        char close = s[pos] == '[' ? ']' : ')';
        pos++;
        SkipSpace(s, ref pos);
        if (pos < s.Length && s[pos] == close)
        {
            pos++;
            return node;
        }

        while (true)
        {
            SkipSpace(s, ref pos);
            if (pos >= s.Length)
            {
                throw new CrsException($"Invalid WKT: {node.Keyword}[ is not closed.");
            }

            char c = s[pos];
            if (c == '"')
            {
                node.Arguments.Add(ReadQuoted(s, ref pos));
            }
            else if (c is '-' or '+' or '.' || char.IsAsciiDigit(c))
            {
                int st = pos;
                while (pos < s.Length && (char.IsAsciiDigit(s[pos]) || s[pos] is '-' or '+' or '.' or 'e' or 'E'))
                {
                    pos++;
                }

                if (!double.TryParse(s.AsSpan(st, pos - st), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || !double.IsFinite(d))
                {
                    throw new CrsException($"Invalid WKT number '{s[st..pos]}' at position {st}.");
                }

                node.Arguments.Add(d);
            }
            else if (char.IsAsciiLetter(c))
            {
                int st = pos;
                while (pos < s.Length && (char.IsAsciiLetterOrDigit(s[pos]) || s[pos] == '_'))
                {
                    pos++;
                }

                int after = pos;
                SkipSpace(s, ref after);
                if (after < s.Length && (s[after] == '[' || s[after] == '('))
                {
                    pos = st;
                    node.Arguments.Add(ParseNode(s, ref pos, depth + 1));
                }
                else
                {
                    node.Arguments.Add(s[st..pos]);
                }
            }
            else
            {
                throw new CrsException($"Invalid WKT: unexpected '{c}' at position {pos}.");
            }

            SkipSpace(s, ref pos);
            if (pos < s.Length && s[pos] == ',')
            {
                pos++;
                continue;
            }

            if (pos < s.Length && s[pos] == close)
            {
                pos++;
                return node;
            }

            throw new CrsException($"Invalid WKT: expected ',' or '{close}' in {node.Keyword}[…] at position {pos}.");
        }
    }

    private static string ReadQuoted(string s, ref int pos)
    {
        var sb = new StringBuilder();
        pos++;
        while (pos < s.Length)
        {
            char c = s[pos++];
            if (c == '"')
            {
                // WKT escapes a quote by doubling it.
                if (pos < s.Length && s[pos] == '"')
                {
                    sb.Append('"');
                    pos++;
                    continue;
                }

                return sb.ToString();
            }

            sb.Append(c);
        }

        throw new CrsException("Invalid WKT: unterminated quoted text.");
    }

    private static void SkipSpace(string s, ref int pos)
    {
        while (pos < s.Length && char.IsWhiteSpace(s[pos]))
        {
            pos++;
        }
    }
}
