using System.Buffers;
using TileServer.Reading.Raster;

namespace TileServer.Reading.Expressions;

/// <summary>Applies a bound expression to the planes of a read: a new <see cref="RasterData"/> with one band per output.</summary>
internal static class ExpressionRaster
{
    public static RasterData Evaluate(RasterData input, BoundExpression expression)
    {
        int n = input.Width * input.Height;
        int outputs = expression.Outputs.Count;
        var inputs = new ReadOnlyMemory<float>[input.Bands];
        for (int b = 0; b < inputs.Length; b++)
        {
            inputs[b] = input.Values.AsMemory(b * n, n);
        }

        var values = ArrayPool<float>.Shared.Rent(Math.Max(1, outputs * n));
        try
        {
            ExpressionEvaluator.Evaluate(expression, inputs, n, values.AsSpan(0, outputs * n));
        }
        catch
        {
            ArrayPool<float>.Shared.Return(values);
            throw;
        }

        // Each output row depends only on the same row of the inputs, so repeated rows stay repeated.
        return new RasterData(values, outputs, input.Width, input.Height, input.Bounds, input.Crs)
        {
            BandNames = expression.OutputNames,
            LevelIndex = input.LevelIndex,
            LevelPath = input.LevelPath,
            Step = input.Step,
            Timings = input.Timings,
            RepeatedRows = input.RepeatedRows,
            Diagnostics = input.Diagnostics,
        };
    }
}
