-- A token's scope: "all" (what its role may do) or "metrics" (GET /metrics
-- and nothing else, for a Prometheus scraper). Tokens made before keep "all".
ALTER TABLE tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'all';
