using System.Globalization;

namespace TileServer.Reading.Expressions;

/// <summary>
/// A node of a parsed expression: immutable, with the 0-based character <see cref="Position"/> it came from so
/// errors found later (an unknown name) can point at it. <see cref="ToString"/> is the canonical text.
/// </summary>
public abstract record ExpressionNode(int Position);

/// <summary>A number literal.</summary>
public sealed record NumberNode(double Value, int Position) : ExpressionNode(Position)
{
    public override string ToString() => Value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>A name: a variable of the dataset or <c>bN</c>, a band of the selected variable.</summary>
public sealed record NameNode(string Name, int Position) : ExpressionNode(Position)
{
    public override string ToString() => Name;
}

/// <summary>A name bound to the <see cref="Index"/>-th plane a read supplies.</summary>
public sealed record InputNode(int Index, string Name, int Position) : ExpressionNode(Position)
{
    public override string ToString() => Name;
}

/// <summary>Negation.</summary>
public sealed record NegateNode(ExpressionNode Operand, int Position) : ExpressionNode(Position)
{
    public override string ToString() => "-" + Operand;
}

public enum BinaryOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Power,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
}

/// <summary>An arithmetic operator or a comparison (1 for true, 0 for false).</summary>
public sealed record BinaryNode(BinaryOperator Operator, ExpressionNode Left, ExpressionNode Right, int Position) : ExpressionNode(Position)
{
    public override string ToString() => "(" + Left + Symbol(Operator) + Right + ")";

    public static string Symbol(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        BinaryOperator.Power => "**",
        BinaryOperator.Less => "<",
        BinaryOperator.LessOrEqual => "<=",
        BinaryOperator.Greater => ">",
        BinaryOperator.GreaterOrEqual => ">=",
        BinaryOperator.Equal => "==",
        _ => "!=",
    };
}

public enum ExpressionFunction
{
    Abs,
    Sqrt,
    Log,
    Exp,
    Min,
    Max,
    Where,
}

/// <summary>A call of one of the built-in functions.</summary>
public sealed record CallNode(ExpressionFunction Function, IReadOnlyList<ExpressionNode> Arguments, int Position) : ExpressionNode(Position)
{
    public override string ToString() => Function.ToString().ToLowerInvariant() + "(" + string.Join(",", Arguments) + ")";

    public bool Equals(CallNode? other)
        => other is not null && other.Function == Function && other.Position == Position && other.Arguments.SequenceEqual(Arguments);

    public override int GetHashCode() => HashCode.Combine(Function, Position, Arguments.Count);
}
