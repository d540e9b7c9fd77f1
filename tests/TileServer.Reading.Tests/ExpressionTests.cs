using TileServer.Reading.Expressions;
using TileServer.Reading.Selection;

namespace TileServer.Reading.Tests;

public class ExpressionTests
{
    private static BoundExpression Bind(string text)
    {
        // b1..b3 are the three planes of expression_inputs.npy, in that order.
        var e = BandExpression.Parse(text);
        var index = new Dictionary<string, int> { ["b1"] = 0, ["b2"] = 1, ["b3"] = 2 };
        var outputs = e.Outputs.Select(o => Rewrite(o, index)).ToArray();
        return new BoundExpression([new BandSource("b1", []), new BandSource("b2", []), new BandSource("b3", [])], outputs, e.OutputNames);
    }

    private static ExpressionNode Rewrite(ExpressionNode node, Dictionary<string, int> index) => node switch
    {
        NameNode n => new InputNode(index[n.Name], n.Name, n.Position),
        NegateNode neg => neg with { Operand = Rewrite(neg.Operand, index) },
        BinaryNode b => b with { Left = Rewrite(b.Left, index), Right = Rewrite(b.Right, index) },
        CallNode c => c with { Arguments = c.Arguments.Select(a => Rewrite(a, index)).ToArray() },
        _ => node,
    };

    public static TheoryData<string> NumpyCases()
    {
        var data = new TheoryData<string>();
        foreach (var (expression, _) in AreaData.References["expressions"]!.AsObject())
        {
            data.Add(expression);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NumpyCases))]
    public void PlaneEvaluationEqualsNumpy(string expression)
    {
        var (shape, inputs) = AreaData.Npy("expression_inputs.npy");
        int n = shape[1] * shape[2];
        var (_, expected) = AreaData.Npy((string)AreaData.References["expressions"]![expression]!);
        var planes = Enumerable.Range(0, 3).Select(b => (ReadOnlyMemory<float>)inputs.AsMemory(b * n, n)).ToArray();
        var output = new float[n];
        ExpressionEvaluator.Evaluate(Bind(expression), planes, n, output);
        int mismatches = 0;
        for (int i = 0; i < n; i++)
        {
            bool same = float.IsNaN(expected[i]) ? float.IsNaN(output[i]) : Math.Abs(output[i] - expected[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i]));
            mismatches += same ? 0 : 1;
        }

        Assert.True(mismatches == 0, $"{expression}: {mismatches} of {n} values differ from numpy");
        Assert.Contains(output, float.IsFinite);
    }

    [Theory]
    [MemberData(nameof(NumpyCases))]
    public void VectorisedEvaluationEqualsTheScalarReference(string expression)
    {
        var (shape, inputs) = AreaData.Npy("expression_inputs.npy");
        int n = shape[1] * shape[2];
        var bound = Bind(expression);
        var output = new float[n];
        ExpressionEvaluator.Evaluate(bound, Enumerable.Range(0, 3).Select(b => (ReadOnlyMemory<float>)inputs.AsMemory(b * n, n)).ToArray(), n, output);
        var pixel = new float[3];
        for (int i = 0; i < n; i++)
        {
            pixel[0] = inputs[i];
            pixel[1] = inputs[n + i];
            pixel[2] = inputs[(2 * n) + i];
            float scalar = ExpressionEvaluator.EvaluateAt(bound.Outputs[0], pixel);
            Assert.True(float.IsNaN(scalar) ? float.IsNaN(output[i]) : scalar == output[i], $"{expression} at {i}: {output[i]} vs scalar {scalar}");
        }
    }

    [Theory]
    [InlineData("b1 +", 5, "ends where a value")]
    [InlineData("b1 + * b2", 6, "'*' where a value")]
    [InlineData("(b1 + b2", 9, "')'")]
    [InlineData("b1 $ b2", 4, "unexpected character '$'")]
    [InlineData("foo(b1)", 1, "unknown function 'foo'")]
    [InlineData("where(b1, b2)", 1, "takes 3 arguments")]
    [InlineData("b1 b2", 4, "unexpected 'b2'")]
    [InlineData("1e999", 1, "not a number")]
    public void SyntaxErrorsNameTheirPosition(string text, int position, string fragment)
    {
        var e = Assert.Throws<BadRequestException>(() => BandExpression.Parse(text));
        Assert.Equal("expression", e.Parameter);
        Assert.Contains($"position {position}", e.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PrecedenceFollowsPython()
    {
        Assert.Equal("-(b1**2)", BandExpression.Parse("-b1**2").Canonical);
        Assert.Equal("b1+(b2*b3)", BandExpression.Parse("b1 + b2 * b3").Canonical);
        Assert.Equal("2**(3**2)", BandExpression.Parse("2**3**2").Canonical);
        Assert.Equal("(b1-b2)<(b3/2)", BandExpression.Parse("b1 - b2 < b3 / 2").Canonical);
    }

    [Fact]
    public void EquivalentSpellingsShareOneCanonicalForm()
    {
        Assert.Equal(BandExpression.Parse("(b4-b3)/(b4+b3)").Canonical, BandExpression.Parse(" ( b4 - b3 ) / ( (b4) + b3 ) ").Canonical);
        Assert.Equal(["b4", "b3", "b2"], BandExpression.Parse("b4; b3 ;b2").OutputNames);
    }

    [Fact]
    public void OverlongAndOversizedExpressionsAreRefused()
    {
        Assert.Throws<BadRequestException>(() => BandExpression.Parse(new string('1', BandExpression.MaxLength + 1)));
        Assert.Throws<BadRequestException>(() => BandExpression.Parse(string.Join("+", Enumerable.Repeat("b1", BandExpression.MaxNodes))));
        Assert.Throws<BadRequestException>(() => BandExpression.Parse(string.Join(";", Enumerable.Repeat("b1", BandExpression.MaxOutputs + 1))));
        Assert.Throws<BadRequestException>(() => BandExpression.Parse("   "));
    }
}
