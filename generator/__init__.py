"""generator: image generators and discriminators conditioned on graph embeddings."""
