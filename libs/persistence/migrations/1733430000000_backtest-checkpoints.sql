-- Up Migration
-- A finished backtest no longer keeps its resume point (the last customer id it read): finishing
-- clears it from now on (BacktestsRepository), and this clears it on backtests finished before.
UPDATE backtests SET checkpoint = NULL WHERE state IN ('completed', 'failed', 'cancelled');
