using System.Buffers;
using System.Numerics;

namespace TileServer.Reading.Expressions;

/// <summary>
/// Evaluates a <see cref="BoundExpression"/> over whole planes: each node is one pass over a span (SIMD for
/// <c>+ - * /</c>, abs, sqrt and negation), constants fold, and intermediate planes come from the array pool and are
/// reused in place. Results that are not finite (NaN, ±∞ from a division by zero or the log of 0) are nodata (NaN).
/// </summary>
public static class ExpressionEvaluator
{
    /// <summary>Fills <paramref name="destination"/> (outputs × <paramref name="n"/>) from input planes of <paramref name="n"/> values.</summary>
    public static void Evaluate(BoundExpression expression, IReadOnlyList<ReadOnlyMemory<float>> inputs, int n, Span<float> destination)
    {
        if (n == 0)
        {
            return;
        }

        for (int o = 0; o < expression.Outputs.Count; o++)
        {
            var dst = destination.Slice(o * n, n);
            var result = Eval(expression.Outputs[o], inputs, n);
            if (result.IsConstant)
            {
                dst.Fill(result.Constant);
            }
            else
            {
                result.Plane.Span[..n].CopyTo(dst);
                Release(result);
            }

            FiniteOrNaN(dst);
        }
    }

    /// <summary>The reference: one output at one pixel, element by element, with the same scalar definitions.</summary>
    public static float EvaluateAt(ExpressionNode node, ReadOnlySpan<float> inputs)
    {
        float v = At(node, inputs);
        return float.IsFinite(v) ? v : float.NaN;
    }

    private static float At(ExpressionNode node, ReadOnlySpan<float> inputs) => node switch
    {
        NumberNode n => (float)n.Value,
        InputNode i => inputs[i.Index],
        NegateNode neg => -At(neg.Operand, inputs),
        BinaryNode b => ExpressionKernels.Apply(b.Operator, At(b.Left, inputs), At(b.Right, inputs)),
        CallNode { Function: ExpressionFunction.Where } c => ExpressionKernels.Where(At(c.Arguments[0], inputs), At(c.Arguments[1], inputs), At(c.Arguments[2], inputs)),
        CallNode { Function: ExpressionFunction.Min or ExpressionFunction.Max } c => Fold(c, inputs),
        CallNode c => ExpressionKernels.Unary(c.Function, At(c.Arguments[0], inputs)),
        _ => throw new InvalidOperationException("unbound name " + node),
    };

    private static float Fold(CallNode c, ReadOnlySpan<float> inputs)
    {
        float acc = At(c.Arguments[0], inputs);
        for (int k = 1; k < c.Arguments.Count; k++)
        {
            float v = At(c.Arguments[k], inputs);
            acc = c.Function == ExpressionFunction.Min ? ExpressionKernels.Min.Apply(acc, v) : ExpressionKernels.Max.Apply(acc, v);
        }

        return acc;
    }

    private static Operand Eval(ExpressionNode node, IReadOnlyList<ReadOnlyMemory<float>> inputs, int n)
    {
        switch (node)
        {
            case NumberNode num:
                return Operand.Of((float)num.Value);
            case InputNode input:
                return new Operand(0, inputs[input.Index][..n], null);
            case NegateNode neg:
                {
                    var x = Eval(neg.Operand, inputs, n);
                    return x.IsConstant ? Operand.Of(-x.Constant) : Map(x, n, static (src, dst) => ExpressionKernels.Binary<ExpressionKernels.Subtract>(0f, src, dst));
                }

            case BinaryNode b:
                return Binary(b.Operator, Eval(b.Left, inputs, n), Eval(b.Right, inputs, n), n);
            case CallNode { Function: ExpressionFunction.Min or ExpressionFunction.Max } c:
                {
                    var acc = Eval(c.Arguments[0], inputs, n);
                    for (int k = 1; k < c.Arguments.Count; k++)
                    {
                        var next = Eval(c.Arguments[k], inputs, n);
                        acc = c.Function == ExpressionFunction.Min ? Combine<ExpressionKernels.Min>(acc, next, n) : Combine<ExpressionKernels.Max>(acc, next, n);
                    }

                    return acc;
                }

            case CallNode { Function: ExpressionFunction.Where } c:
                return Where(Eval(c.Arguments[0], inputs, n), Eval(c.Arguments[1], inputs, n), Eval(c.Arguments[2], inputs, n), n);
            case CallNode c:
                {
                    var x = Eval(c.Arguments[0], inputs, n);
                    var f = c.Function;
                    if (x.IsConstant)
                    {
                        return Operand.Of(ExpressionKernels.Unary(f, x.Constant));
                    }

                    return f switch
                    {
                        ExpressionFunction.Abs => Map(x, n, static (src, dst) => Vectorised(src, dst, static v => Vector.Abs(v), MathF.Abs)),
                        ExpressionFunction.Sqrt => Map(x, n, static (src, dst) => Vectorised(src, dst, static v => Vector.SquareRoot(v), MathF.Sqrt)),
                        ExpressionFunction.Log => Map(x, n, static (src, dst) => Scalar(src, dst, MathF.Log)),
                        _ => Map(x, n, static (src, dst) => Scalar(src, dst, MathF.Exp)),
                    };
                }

            default:
                throw new InvalidOperationException("unbound name " + node);
        }
    }

    private static Operand Binary(BinaryOperator op, Operand a, Operand b, int n) => op switch
    {
        BinaryOperator.Add => Combine<ExpressionKernels.Add>(a, b, n),
        BinaryOperator.Subtract => Combine<ExpressionKernels.Subtract>(a, b, n),
        BinaryOperator.Multiply => Combine<ExpressionKernels.Multiply>(a, b, n),
        BinaryOperator.Divide => Combine<ExpressionKernels.Divide>(a, b, n),
        BinaryOperator.Power => Combine<ExpressionKernels.Power>(a, b, n),
        BinaryOperator.Less => Combine<ExpressionKernels.Less>(a, b, n),
        BinaryOperator.LessOrEqual => Combine<ExpressionKernels.LessOrEqual>(a, b, n),
        BinaryOperator.Greater => Combine<ExpressionKernels.Greater>(a, b, n),
        BinaryOperator.GreaterOrEqual => Combine<ExpressionKernels.GreaterOrEqual>(a, b, n),
        BinaryOperator.Equal => Combine<ExpressionKernels.Equal>(a, b, n),
        _ => Combine<ExpressionKernels.NotEqual>(a, b, n),
    };

    private static Operand Combine<T>(Operand a, Operand b, int n)
        where T : IBinaryKernel
    {
        if (a.IsConstant && b.IsConstant)
        {
            return Operand.Of(T.Apply(a.Constant, b.Constant));
        }

        // Write into an operand's own pooled plane when there is one; element-wise kernels allow dst == operand.
        var target = a.Rented ?? b.Rented ?? ArrayPool<float>.Shared.Rent(n);
        var dst = target.AsSpan(0, n);
        if (a.IsConstant)
        {
            ExpressionKernels.Binary<T>(a.Constant, b.Plane.Span[..n], dst);
        }
        else if (b.IsConstant)
        {
            ExpressionKernels.Binary<T>(a.Plane.Span[..n], b.Constant, dst);
        }
        else
        {
            ExpressionKernels.Binary<T>(a.Plane.Span[..n], b.Plane.Span[..n], dst);
        }

        if (b.Rented is { } rb && !ReferenceEquals(rb, target))
        {
            ArrayPool<float>.Shared.Return(rb);
        }

        return new Operand(0, target.AsMemory(0, n), target);
    }

    private static Operand Where(Operand c, Operand a, Operand b, int n)
    {
        if (c.IsConstant)
        {
            if (float.IsNaN(c.Constant))
            {
                Release(a);
                Release(b);
                return Operand.Of(float.NaN);
            }

            var keep = c.Constant != 0 ? a : b;
            Release(c.Constant != 0 ? b : a);
            return keep;
        }

        var target = c.Rented ?? a.Rented ?? b.Rented ?? ArrayPool<float>.Shared.Rent(n);
        var dst = target.AsSpan(0, n);
        var cs = c.Plane.Span;
        var av = a.IsConstant ? default : a.Plane.Span;
        var bv = b.IsConstant ? default : b.Plane.Span;
        for (int i = 0; i < n; i++)
        {
            dst[i] = ExpressionKernels.Where(cs[i], a.IsConstant ? a.Constant : av[i], b.IsConstant ? b.Constant : bv[i]);
        }

        foreach (var x in (ReadOnlySpan<Operand>)[c, a, b])
        {
            if (x.Rented is { } r && !ReferenceEquals(r, target))
            {
                ArrayPool<float>.Shared.Return(r);
            }
        }

        return new Operand(0, target.AsMemory(0, n), target);
    }

    private delegate void PlaneMap(ReadOnlySpan<float> source, Span<float> destination);

    private static Operand Map(Operand x, int n, PlaneMap map)
    {
        var target = x.Rented ?? ArrayPool<float>.Shared.Rent(n);
        map(x.Plane.Span[..n], target.AsSpan(0, n));
        return new Operand(0, target.AsMemory(0, n), target);
    }

    private static void Vectorised(ReadOnlySpan<float> src, Span<float> dst, Func<Vector<float>, Vector<float>> vector, Func<float, float> scalar)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= src.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                vector(new Vector<float>(src[i..])).CopyTo(dst[i..]);
            }
        }

        for (; i < src.Length; i++)
        {
            dst[i] = scalar(src[i]);
        }
    }

    private static void Scalar(ReadOnlySpan<float> src, Span<float> dst, Func<float, float> scalar)
    {
        for (int i = 0; i < src.Length; i++)
        {
            dst[i] = scalar(src[i]);
        }
    }

    private static void FiniteOrNaN(Span<float> values)
    {
        foreach (ref float v in values)
        {
            if (!float.IsFinite(v))
            {
                v = float.NaN;
            }
        }
    }

    private static void Release(Operand x)
    {
        if (x.Rented is { } rented)
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>A constant, a borrowed input plane, or a pooled plane this evaluation owns (<see cref="Rented"/>).</summary>
    private readonly record struct Operand(float Constant, ReadOnlyMemory<float> Plane, float[]? Rented)
    {
        public bool IsConstant => Plane.IsEmpty && Rented is null;

        public static Operand Of(float constant) => new(constant, ReadOnlyMemory<float>.Empty, null);
    }
}
