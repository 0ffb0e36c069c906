"""kg_embed: RDF subgraph → PyG tensors → relation-aware GNN embeddings."""
