namespace TileServer.Reading.Expressions;

/// <summary>
/// A parsed <c>expression=</c>: one tree per output band (<c>;</c> separates them). Parsing checks the syntax only;
/// names are resolved against a dataset when a read binds it (<see cref="ExpressionBinding"/>).
/// </summary>
public sealed class BandExpression
{
    public const int MaxLength = 4096;
    public const int MaxNodes = 512;
    public const int MaxOutputs = 16;

    private BandExpression(string text, IReadOnlyList<ExpressionNode> outputs, IReadOnlyList<string> names)
    {
        Text = text;
        Outputs = outputs;
        OutputNames = names;
    }

    /// <summary>The text as given.</summary>
    public string Text { get; }

    public IReadOnlyList<ExpressionNode> Outputs { get; }

    /// <summary>One name per output band: its text as written, trimmed (what statistics and .npy band names show).</summary>
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>The canonical form (fully parenthesised, no spaces): equal for expressions written differently but parsed alike.</summary>
    public string Canonical => string.Join(";", Outputs.Select(o => Strip(o.ToString()!)));

    /// <summary>Parses an expression; a syntax error is a 400 naming the position.</summary>
    public static BandExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
        {
            throw new BadRequestException("expression", $"The expression is {text.Length} characters long; at most {MaxLength} are accepted.");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw new BadRequestException("expression", "The expression is empty.");
        }

        var outputs = ExpressionParser.Parse(text);
        var names = text.Split(';').Select(s => s.Trim()).ToArray();
        return new BandExpression(text, outputs, names);
    }

    public override string ToString() => Canonical;

    /// <summary>Every name the expression uses, in order of first use.</summary>
    public IReadOnlyList<NameNode> Names()
    {
        var names = new List<NameNode>();
        foreach (var output in Outputs)
        {
            Collect(output, names);
        }

        return names;
    }

    private static void Collect(ExpressionNode node, List<NameNode> names)
    {
        switch (node)
        {
            case NameNode n:
                names.Add(n);
                break;
            case NegateNode neg:
                Collect(neg.Operand, names);
                break;
            case BinaryNode b:
                Collect(b.Left, names);
                Collect(b.Right, names);
                break;
            case CallNode c:
                foreach (var a in c.Arguments)
                {
                    Collect(a, names);
                }

                break;
        }
    }

    private static string Strip(string s) => s.Length > 1 && s[0] == '(' && s[^1] == ')' && Balanced(s.AsSpan(1, s.Length - 2)) ? s[1..^1] : s;

    private static bool Balanced(ReadOnlySpan<char> s)
    {
        int depth = 0;
        foreach (char c in s)
        {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0)
            {
                return false;
            }
        }

        return depth == 0;
    }
}
