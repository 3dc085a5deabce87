"""liftpace: the 4-6-week reassessment of a runner's strength training."""
__all__: list[str] = []
