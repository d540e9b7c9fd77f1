using System.Globalization;
using System.Text;

namespace TileServer.Storage.Kerchunk;

/// <summary>
/// The subset of Jinja2 that kerchunk writers put in <c>templates</c> and <c>gen</c>: <c>{{ name }}</c>
/// substitution and integer arithmetic (<c>+ - * // %</c>, parentheses) over the gen dimensions,
/// e.g. <c>{{ 1000 + i * 4096 }}</c>. Anything else is refused with a clear message.
/// </summary>
public static class TemplateExpression
{
    public static string Render(string template, IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(template);
        int open = template.IndexOf("{{", StringComparison.Ordinal);
        if (open < 0)
        {
            return template;
        }

        var result = new StringBuilder(template.Length + 32);
        int position = 0;
        while (open >= 0)
        {
            int close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException($"unclosed '{{{{' in template '{template}'");
            }

            result.Append(template, position, open - position);
            var expression = template.AsSpan(open + 2, close - open - 2).Trim();
            result.Append(Evaluate(expression.ToString(), variables));
            position = close + 2;
            open = template.IndexOf("{{", position, StringComparison.Ordinal);
        }

        return result.Append(template, position, template.Length - position).ToString();
    }

    /// <summary>A bare variable renders as its text; anything else is evaluated as integer arithmetic.</summary>
    public static string Evaluate(string expression, IReadOnlyDictionary<string, string> variables)
    {
        if (variables.TryGetValue(expression, out var text))
        {
            return text;
        }

        var parser = new Parser(expression, variables);
        long value = parser.ParseSum();
        parser.ExpectEnd();
        return value.ToString(CultureInfo.InvariantCulture);
    }

    private ref struct Parser
    {
        /// <summary>Nesting of parentheses and unary minus; deeper input would recurse until the stack overflows.</summary>
        private const int MaxDepth = 64;

        private readonly ReadOnlySpan<char> _text;
        private readonly IReadOnlyDictionary<string, string> _variables;
        private int _pos;
        private int _depth;

        public Parser(string text, IReadOnlyDictionary<string, string> variables)
        {
            _text = text;
            _variables = variables;
            _pos = 0;
        }

        public long ParseSum()
        {
            long value = ParseProduct();
            while (true)
            {
                SkipSpace();
                if (TryTake("+"))
                {
                    value = checked(value + ParseProduct());
                }
                else if (TryTake("-"))
                {
                    value = checked(value - ParseProduct());
                }
                else
                {
                    return value;
                }
            }
        }

        public void ExpectEnd()
        {
            SkipSpace();
            if (_pos != _text.Length)
            {
                throw new FormatException($"unsupported template expression '{_text}' at position {_pos}");
            }
        }

        private long ParseProduct()
        {
            long value = ParseUnary();
            while (true)
            {
                SkipSpace();
                if (TryTake("*"))
                {
                    value = checked(value * ParseUnary());
                }
                else if (TryTake("//"))
                {
                    value = FloorDiv(value, ParseUnary());
                }
                else if (TryTake("%"))
                {
                    long divisor = ParseUnary();
                    value = value - (divisor == 0 ? throw new FormatException("modulo by zero in template") : FloorDiv(value, divisor) * divisor);
                }
                else
                {
                    return value;
                }
            }
        }

        private long ParseUnary()
        {
            SkipSpace();
            if (TryTake("-"))
            {
                Enter();
                long negated = checked(-ParseUnary());
                _depth--;
                return negated;
            }

            if (TryTake("("))
            {
                Enter();
                long inner = ParseSum();
                _depth--;
                SkipSpace();
                return TryTake(")") ? inner : throw new FormatException($"missing ')' in template expression '{_text}'");
            }

            int start = _pos;
            if (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
            {
                while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
                {
                    _pos++;
                }

                return long.Parse(_text[start.._pos], NumberStyles.None, CultureInfo.InvariantCulture);
            }

            while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
            {
                _pos++;
            }

            if (_pos == start)
            {
                throw new FormatException($"unsupported template expression '{_text}' at position {_pos}");
            }

            var name = _text[start.._pos].ToString();
            if (!_variables.TryGetValue(name, out var text))
            {
                throw new FormatException($"unknown template variable '{name}'");
            }

            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number)
                ? number
                : throw new FormatException($"template variable '{name}' = '{text}' is not an integer");
        }

        private void Enter()
        {
            if (++_depth > MaxDepth)
            {
                throw new FormatException($"template expression nests deeper than {MaxDepth} levels");
            }
        }

        private static long FloorDiv(long a, long b)
        {
            if (b == 0)
            {
                throw new FormatException("division by zero in template");
            }

            long q = a / b;
            return (a % b != 0) && ((a < 0) != (b < 0)) ? q - 1 : q;
        }

        private void SkipSpace()
        {
            while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
            {
                _pos++;
            }
        }

        private bool TryTake(string token)
        {
            if (_text[_pos..].StartsWith(token, StringComparison.Ordinal))
            {
                _pos += token.Length;
                return true;
            }

            return false;
        }
    }
}
