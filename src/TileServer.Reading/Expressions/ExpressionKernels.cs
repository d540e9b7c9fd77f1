using System.Numerics;
using System.Runtime.InteropServices;

namespace TileServer.Reading.Expressions;

/// <summary>One element-wise binary operation: a scalar definition (the reference) and, where it pays, a SIMD one.</summary>
internal interface IBinaryKernel
{
    static abstract bool Vectorized { get; }

    static abstract float Apply(float a, float b);

    static abstract Vector<float> Apply(Vector<float> a, Vector<float> b);
}

/// <summary>
/// Element-wise kernels over spans (plane ∘ plane, plane ∘ constant, constant ∘ plane). NaN propagates through every
/// operation, comparisons included (nodata compared with anything is nodata), and <c>min</c>/<c>max</c> with NaN give NaN.
/// The destination may be the same memory as an operand.
/// </summary>
internal static class ExpressionKernels
{
    public static void Binary<T>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst)
        where T : IBinaryKernel
    {
        int i = 0;
        if (T.Vectorized && Vector.IsHardwareAccelerated)
        {
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            var vd = MemoryMarshal.Cast<float, Vector<float>>(dst);
            int vn = Math.Min(va.Length, Math.Min(vb.Length, vd.Length));
            for (int k = 0; k < vn; k++)
            {
                vd[k] = T.Apply(va[k], vb[k]);
            }

            i = vn * Vector<float>.Count;
        }

        for (; i < dst.Length; i++)
        {
            dst[i] = T.Apply(a[i], b[i]);
        }
    }

    public static void Binary<T>(ReadOnlySpan<float> a, float b, Span<float> dst)
        where T : IBinaryKernel
    {
        int i = 0;
        if (T.Vectorized && Vector.IsHardwareAccelerated)
        {
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vd = MemoryMarshal.Cast<float, Vector<float>>(dst);
            var vb = new Vector<float>(b);
            int vn = Math.Min(va.Length, vd.Length);
            for (int k = 0; k < vn; k++)
            {
                vd[k] = T.Apply(va[k], vb);
            }

            i = vn * Vector<float>.Count;
        }

        for (; i < dst.Length; i++)
        {
            dst[i] = T.Apply(a[i], b);
        }
    }

    public static void Binary<T>(float a, ReadOnlySpan<float> b, Span<float> dst)
        where T : IBinaryKernel
    {
        int i = 0;
        if (T.Vectorized && Vector.IsHardwareAccelerated)
        {
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            var vd = MemoryMarshal.Cast<float, Vector<float>>(dst);
            var va = new Vector<float>(a);
            int vn = Math.Min(vb.Length, vd.Length);
            for (int k = 0; k < vn; k++)
            {
                vd[k] = T.Apply(va, vb[k]);
            }

            i = vn * Vector<float>.Count;
        }

        for (; i < dst.Length; i++)
        {
            dst[i] = T.Apply(a, b[i]);
        }
    }

    /// <summary>The scalar definition of each operator (what the kernels compute, element by element).</summary>
    public static float Apply(BinaryOperator op, float a, float b) => op switch
    {
        BinaryOperator.Add => Add.Apply(a, b),
        BinaryOperator.Subtract => Subtract.Apply(a, b),
        BinaryOperator.Multiply => Multiply.Apply(a, b),
        BinaryOperator.Divide => Divide.Apply(a, b),
        BinaryOperator.Power => Power.Apply(a, b),
        BinaryOperator.Less => Less.Apply(a, b),
        BinaryOperator.LessOrEqual => LessOrEqual.Apply(a, b),
        BinaryOperator.Greater => Greater.Apply(a, b),
        BinaryOperator.GreaterOrEqual => GreaterOrEqual.Apply(a, b),
        BinaryOperator.Equal => Equal.Apply(a, b),
        _ => NotEqual.Apply(a, b),
    };

    public static float Unary(ExpressionFunction function, float x) => function switch
    {
        ExpressionFunction.Abs => MathF.Abs(x),
        ExpressionFunction.Sqrt => MathF.Sqrt(x),
        ExpressionFunction.Log => MathF.Log(x),
        _ => MathF.Exp(x),
    };

    public static float Where(float condition, float a, float b) => float.IsNaN(condition) ? float.NaN : condition != 0 ? a : b;

    private static float Compare(bool result, float a, float b) => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : result ? 1f : 0f;

    internal readonly struct Add : IBinaryKernel
    {
        public static bool Vectorized => true;

        public static float Apply(float a, float b) => a + b;

        public static Vector<float> Apply(Vector<float> a, Vector<float> b) => a + b;
    }

    internal readonly struct Subtract : IBinaryKernel
    {
        public static bool Vectorized => true;

        public static float Apply(float a, float b) => a - b;

        public static Vector<float> Apply(Vector<float> a, Vector<float> b) => a - b;
    }

    internal readonly struct Multiply : IBinaryKernel
    {
        public static bool Vectorized => true;

        public static float Apply(float a, float b) => a * b;

        public static Vector<float> Apply(Vector<float> a, Vector<float> b) => a * b;
    }

    internal readonly struct Divide : IBinaryKernel
    {
        public static bool Vectorized => true;

        public static float Apply(float a, float b) => a / b;

        public static Vector<float> Apply(Vector<float> a, Vector<float> b) => a / b;
    }

    internal readonly struct Power : IBinaryKernel
    {
        public static bool Vectorized => false;

        public static float Apply(float a, float b) => b == 2f ? a * a : MathF.Pow(a, b);

        public static Vector<float> Apply(Vector<float> a, Vector<float> b) => throw new NotSupportedException();
    }

    internal readonly struct Min : IBinaryKernel
    {
        public static bool Vectorized => false;

        public static float Apply(float a, float b) => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : MathF.Min(a, b);

        public static Vector<float> Apply(Vector<float> a, Vector<float> b) => throw new NotSupportedException();
    }

    internal readonly struct Max : IBinaryKernel
    {
        public static bool Vectorized => false;

        public static float Apply(float a, float b) => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : MathF.Max(a, b);

        public static Vector<float> Apply(Vector<float> a, Vector<float> b) => throw new NotSupportedException();
    }

    internal readonly struct Less : IBinaryKernel
    {
        public static bool Vectorized => false;

        public static float Apply(float a, float b) => Compare(a < b, a, b);

        public static Vector<float> Apply(Vector<float> a, Vector<float> b) => throw new NotSupportedException();
    }

    internal readonly struct LessOrEqual : IBinaryKernel
    {
        public static bool Vectorized => false;

        public static float Apply(float a, float b) => Compare(a <= b, a, b);

        public static Vector<float> Apply(Vector<float> a, Vector<float> b) => throw new NotSupportedException();
    }

    internal readonly struct Greater : IBinaryKernel
    {
        public static bool Vectorized => false;

        public static float Apply(float a, float b) => Compare(a > b, a, b);

        public static Vector<float> Apply(Vector<float> a, Vector<float> b) => throw new NotSupportedException();
    }

    internal readonly struct GreaterOrEqual : IBinaryKernel
    {
        public static bool Vectorized => false;

        public static float Apply(float a, float b) => Compare(a >= b, a, b);

        public static Vector<float> Apply(Vector<float> a, Vector<float> b) => throw new NotSupportedException();
    }

    internal readonly struct Equal : IBinaryKernel
    {
        public static bool Vectorized => false;

        public static float Apply(float a, float b) => Compare(a == b, a, b);

        public static Vector<float> Apply(Vector<float> a, Vector<float> b) => throw new NotSupportedException();
    }

    internal readonly struct NotEqual : IBinaryKernel
    {
        public static bool Vectorized => false;

        public static float Apply(float a, float b) => Compare(a != b, a, b);

        public static Vector<float> Apply(Vector<float> a, Vector<float> b) => throw new NotSupportedException();
    }
}
