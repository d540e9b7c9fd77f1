using TileServer.Crs;
using TileServer.Reading.Areas;

namespace TileServer.Reading.Tests;

public class NativeWindowPlannerTests
{
    private static readonly CrsInfo Geographic = new CrsRegistry().FromCode("EPSG:4326");
    private static GridGeometry Global(double cell) => new(Geographic, new AffineTransform(cell, 0, -180, 0, -cell, 90), (int)(360 / cell), (int)(180 / cell));

    [Fact]
    public void TheWindowHoldsEveryCellTheBoxTouches()
    {
        var cells = NativeWindowPlanner.Cells(Global(1), new Extent(-10.5, -5.2, 10.3, 5.7))!.Value;
        Assert.Equal((84L, 169L, 12, 22), (cells.Row, cells.Col, cells.Rows, cells.Cols));
    }

    [Fact]
    public void AWrappingGridContinuesAcrossTheAntimeridian()
    {
        var cells = NativeWindowPlanner.Cells(Global(1), new Extent(170, -10, 190, 10))!.Value;
        Assert.Equal((350L, 20), (cells.Col, cells.Cols));
    }

    [Fact]
    public void ABoxOutsideTheGridHasNoWindow()
        => Assert.Null(NativeWindowPlanner.Cells(new GridGeometry(Geographic, new AffineTransform(1, 0, 0, 0, -1, 10), 10, 10), new Extent(20, 0, 30, 5)));

    [Fact]
    public void TheFinestLevelWithinTheBudgetIsChosenElseAStride()
    {
        GridGeometry?[] levels = [Global(0.25), Global(0.5), Global(1)];
        var box = new Extent(-90, -45, 90, 45);
        // 720 × 360 cells at 0.25°, 360 × 180 at 0.5°: the budget admits level 1.
        var w = NativeWindowPlanner.Choose(levels, _ => box, planes: 2, budget: 200_000)!.Value;
        Assert.Equal((1, 1), (w.LevelIndex, w.Step));
        var strided = NativeWindowPlanner.Choose(levels, _ => box, planes: 1, budget: 10_000)!.Value;
        Assert.Equal(2, strided.LevelIndex);
        Assert.True(strided.OutPixels <= 10_000 && strided.Step > 1);
    }
}
