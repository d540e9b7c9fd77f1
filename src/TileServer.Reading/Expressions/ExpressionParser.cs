using System.Globalization;

namespace TileServer.Reading.Expressions;

/// <summary>
/// Parses the <c>expression=</c> language into trees: numbers, names, <c>+ - * / **</c>, parentheses, comparisons
/// (<c>&lt; &lt;= &gt; &gt;= == !=</c>), the functions <c>abs sqrt log exp min max where</c>, and <c>;</c> between
/// output bands. Precedence as in Python: comparisons, then <c>+ -</c>, then <c>* /</c>, then unary minus, then
/// <c>**</c> (right-associative). Nothing is ever evaluated as code; errors name the 1-based character position.
/// </summary>
internal sealed class ExpressionParser
{
    private readonly List<Token> _tokens;
    private int _next;
    private int _nodes;

    private ExpressionParser(List<Token> tokens)
    {
        _tokens = tokens;
    }

    public static IReadOnlyList<ExpressionNode> Parse(string text)
    {
        var parser = new ExpressionParser(Tokenize(text));
        var outputs = new List<ExpressionNode>();
        while (true)
        {
            outputs.Add(parser.Comparison());
            var token = parser.Peek();
            if (token.Kind == TokenKind.End)
            {
                break;
            }

            if (token.Kind != TokenKind.Semicolon)
            {
                throw Error(token.Position, $"unexpected '{token.Text}'");
            }

            parser._next++;
            if (outputs.Count >= BandExpression.MaxOutputs)
            {
                throw Error(token.Position, $"at most {BandExpression.MaxOutputs} output bands");
            }
        }

        return outputs;
    }

    private ExpressionNode Comparison()
    {
        var left = Additive();
        var token = Peek();
        BinaryOperator? op = token.Kind == TokenKind.Operator ? token.Text switch
        {
            "<" => BinaryOperator.Less,
            "<=" => BinaryOperator.LessOrEqual,
            ">" => BinaryOperator.Greater,
            ">=" => BinaryOperator.GreaterOrEqual,
            "==" => BinaryOperator.Equal,
            "!=" => BinaryOperator.NotEqual,
            _ => null,
        } : null;
        if (op is null)
        {
            return left;
        }

        _next++;
        return Count(new BinaryNode(op.Value, left, Additive(), token.Position));
    }

    private ExpressionNode Additive()
    {
        var left = Multiplicative();
        while (Peek() is { Kind: TokenKind.Operator, Text: "+" or "-" } token)
        {
            _next++;
            left = Count(new BinaryNode(token.Text == "+" ? BinaryOperator.Add : BinaryOperator.Subtract, left, Multiplicative(), token.Position));
        }

        return left;
    }

    private ExpressionNode Multiplicative()
    {
        var left = Unary();
        while (Peek() is { Kind: TokenKind.Operator, Text: "*" or "/" } token)
        {
            _next++;
            left = Count(new BinaryNode(token.Text == "*" ? BinaryOperator.Multiply : BinaryOperator.Divide, left, Unary(), token.Position));
        }

        return left;
    }

    private ExpressionNode Unary()
    {
        var token = Peek();
        if (token is { Kind: TokenKind.Operator, Text: "-" })
        {
            _next++;
            var operand = Unary();
            return operand is NumberNode n ? n with { Value = -n.Value, Position = token.Position } : Count(new NegateNode(operand, token.Position));
        }

        if (token is { Kind: TokenKind.Operator, Text: "+" })
        {
            _next++;
            return Unary();
        }

        return Power();
    }

    private ExpressionNode Power()
    {
        var left = Primary();
        if (Peek() is { Kind: TokenKind.Operator, Text: "**" } token)
        {
            _next++;
            return Count(new BinaryNode(BinaryOperator.Power, left, Unary(), token.Position));
        }

        return left;
    }

    private ExpressionNode Primary()
    {
        var token = Peek();
        _next++;
        switch (token.Kind)
        {
            case TokenKind.Number:
                return Count(new NumberNode(double.Parse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture), token.Position));
            case TokenKind.Name when Peek().Kind == TokenKind.Open:
                return Call(token);
            case TokenKind.Name:
                return Count(new NameNode(token.Text, token.Position));
            case TokenKind.Open:
                var inner = Comparison();
                Expect(TokenKind.Close, "')'");
                return inner;
            case TokenKind.End:
                throw Error(token.Position, "the expression ends where a value was expected");
            default:
                throw Error(token.Position, $"'{token.Text}' where a value was expected");
        }
    }

    private ExpressionNode Call(Token name)
    {
        if (!Enum.TryParse<ExpressionFunction>(name.Text, ignoreCase: true, out var function) || name.Text != name.Text.ToLowerInvariant())
        {
            throw Error(name.Position, $"unknown function '{name.Text}'; the functions are abs, sqrt, log, exp, min, max, where");
        }

        _next++; // '('
        var args = new List<ExpressionNode>();
        if (Peek().Kind != TokenKind.Close)
        {
            args.Add(Comparison());
            while (Peek().Kind == TokenKind.Comma)
            {
                _next++;
                args.Add(Comparison());
            }
        }

        Expect(TokenKind.Close, "')' or ','");
        (int min, int max) = function switch
        {
            ExpressionFunction.Min or ExpressionFunction.Max => (2, 16),
            ExpressionFunction.Where => (3, 3),
            _ => (1, 1),
        };
        if (args.Count < min || args.Count > max)
        {
            string expected = min == max ? min.ToString(CultureInfo.InvariantCulture) : $"{min} to {max}";
            throw Error(name.Position, $"{name.Text}() takes {expected} arguments, not {args.Count}");
        }

        return Count(new CallNode(function, args, name.Position));
    }

    private void Expect(TokenKind kind, string what)
    {
        var token = Peek();
        if (token.Kind != kind)
        {
            throw Error(token.Position, token.Kind == TokenKind.End ? $"the expression ends where {what} was expected" : $"expected {what}, not '{token.Text}'");
        }

        _next++;
    }

    private Token Peek() => _tokens[_next];

    private T Count<T>(T node)
        where T : ExpressionNode
    {
        if (++_nodes > BandExpression.MaxNodes)
        {
            throw Error(node.Position, $"the expression has more than {BandExpression.MaxNodes} terms");
        }

        return node;
    }

    internal static BadRequestException Error(int position, string message)
        => new("expression", $"Invalid expression at position {position + 1}: {message}.");

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            int start = i;
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }

                if (i < text.Length && text[i] is 'e' or 'E')
                {
                    int e = i + 1;
                    if (e < text.Length && text[e] is '+' or '-')
                    {
                        e++;
                    }

                    if (e < text.Length && char.IsAsciiDigit(text[e]))
                    {
                        i = e;
                        while (i < text.Length && char.IsAsciiDigit(text[i]))
                        {
                            i++;
                        }
                    }
                }

                string number = text[start..i];
                if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                {
                    throw Error(start, $"'{number}' is not a number");
                }

                tokens.Add(new Token(TokenKind.Number, number, start));
                continue;
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Name, text[start..i], start));
                continue;
            }

            string two = i + 1 < text.Length ? text.Substring(i, 2) : "";
            if (two is "**" or "<=" or ">=" or "==" or "!=")
            {
                tokens.Add(new Token(TokenKind.Operator, two, start));
                i += 2;
                continue;
            }

            var kind = c switch
            {
                '+' or '-' or '*' or '/' or '<' or '>' => TokenKind.Operator,
                '(' => TokenKind.Open,
                ')' => TokenKind.Close,
                ',' => TokenKind.Comma,
                ';' => TokenKind.Semicolon,
                _ => throw Error(start, $"unexpected character '{c}'"),
            };
            tokens.Add(new Token(kind, c.ToString(), start));
            i++;
        }

        tokens.Add(new Token(TokenKind.End, "", text.Length));
        return tokens;
    }

    private enum TokenKind
    {
        Number,
        Name,
        Operator,
        Open,
        Close,
        Comma,
        Semicolon,
        End,
    }

    private readonly record struct Token(TokenKind Kind, string Text, int Position);
}
