using System.Globalization;
using TileServer.GeoZarr;
using TileServer.Reading.Selection;

namespace TileServer.Reading.Expressions;

/// <summary>An expression whose names are bound to the planes a read supplies (<see cref="Sources"/>, in order).</summary>
public sealed record BoundExpression(IReadOnlyList<BandSource> Sources, IReadOnlyList<ExpressionNode> Outputs, IReadOnlyList<string> OutputNames);

/// <summary>
/// Resolves an expression's names against a dataset: a variable name reads that variable (one plane: the request's
/// <c>sel</c> fixes its other dimensions), <c>bN</c> reads band N of the selected variable (<c>variable=</c>, else the
/// dataset's default). A pure function; unknown names are a 400 naming their position.
/// </summary>
public static class ExpressionBinding
{
    /// <summary>Most distinct planes one expression may read.</summary>
    public const int MaxSources = 16;

    public static BoundExpression Bind(BandExpression expression, GeoDataset dataset, string defaultVariable, ReadRequest request)
    {
        var sources = new List<BandSource>();
        var indexByName = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in expression.Names())
        {
            if (indexByName.ContainsKey(name.Name))
            {
                continue;
            }

            var source = Resolve(name, dataset, defaultVariable, request);
            int index = sources.FindIndex(s => s.Variable == source.Variable && s.OtherIndices.SequenceEqual(source.OtherIndices));
            if (index < 0)
            {
                if (sources.Count >= MaxSources)
                {
                    throw ExpressionParser.Error(name.Position, $"an expression may read at most {MaxSources} different bands");
                }

                index = sources.Count;
                sources.Add(source);
            }

            indexByName[name.Name] = index;
        }

        var outputs = expression.Outputs.Select(o => Rewrite(o, indexByName)).ToArray();
        return new BoundExpression(sources, outputs, expression.OutputNames);
    }

    private static BandSource Resolve(NameNode name, GeoDataset dataset, string defaultVariable, ReadRequest request)
    {
        var plain = request with { Expression = null, Bidx = [] };
        if (dataset.FindVariable(name.Name) is not null)
        {
            var bands = BandSelection.Resolve(dataset, defaultVariable, [], plain with { Variables = [name.Name] });
            if (bands.Count != 1)
            {
                throw ExpressionParser.Error(name.Position, $"variable '{name.Name}' has {bands.Count} bands here; name one with b1..b{bands.Count} (and variable={name.Name}) or fix it with sel");
            }

            return bands[0];
        }

        if (name.Name.Length > 1 && name.Name[0] is 'b' or 'B'
            && int.TryParse(name.Name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int band) && band >= 1)
        {
            if (request.Variables.Count > 1)
            {
                throw ExpressionParser.Error(name.Position, $"'{name.Name}' is a band of one variable, but the request names {request.Variables.Count}");
            }

            string variable = request.Variables.Count == 1 ? request.Variables[0] : defaultVariable;
            try
            {
                return BandSelection.Resolve(dataset, defaultVariable, [], plain with { Variables = [variable], Bidx = [band] })[0];
            }
            catch (BadRequestException e) when (e.Parameter == "bidx")
            {
                throw ExpressionParser.Error(name.Position, $"'{name.Name}': {e.Message.TrimEnd('.')}");
            }
        }

        throw ExpressionParser.Error(name.Position,
            $"unknown name '{name.Name}'; names are the variables of dataset '{dataset.Id}' ({string.Join(", ", dataset.VariableNames)}) and b1..bN for the bands of the selected variable");
    }

    private static ExpressionNode Rewrite(ExpressionNode node, Dictionary<string, int> indexByName) => node switch
    {
        NameNode n => new InputNode(indexByName[n.Name], n.Name, n.Position),
        NegateNode neg => neg with { Operand = Rewrite(neg.Operand, indexByName) },
        BinaryNode b => b with { Left = Rewrite(b.Left, indexByName), Right = Rewrite(b.Right, indexByName) },
        CallNode c => c with { Arguments = c.Arguments.Select(a => Rewrite(a, indexByName)).ToArray() },
        _ => node,
    };
}
