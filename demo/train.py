"""Fits an ElasticNet on synthetic data and logs it to MLflow.

Run it through the project:  mlflow run . -P alpha=0.5 --env-manager local
"""
import argparse

import mlflow
import numpy as np
from sklearn.linear_model import ElasticNet
from sklearn.metrics import mean_squared_error


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--alpha", type=float, default=0.1)
    parser.add_argument("--l1-ratio", type=float, default=0.5)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--data", default="data")
    parser.add_argument("--validate-only", action="store_true")
    return parser.parse_args()


def synthetic_data(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(200, 4))
    y = x @ np.array([1.5, -2.0, 0.0, 0.7]) + rng.normal(0, 0.1, 200)
    return x, y


def main():
    args = parse_args()
    x, y = synthetic_data()
    if args.validate_only:
        print(f"data ok: {x.shape[0]} rows, {x.shape[1]} features")
        return
    with mlflow.start_run():
        mlflow.log_params({"alpha": args.alpha, "l1_ratio": args.l1_ratio, "epochs": args.epochs})
        model = None
        for epoch in range(args.epochs):
            model = ElasticNet(alpha=args.alpha, l1_ratio=args.l1_ratio, max_iter=epoch + 1).fit(x, y)
            rmse = mean_squared_error(y, model.predict(x)) ** 0.5
            mlflow.log_metric("rmse", rmse, step=epoch)
        mlflow.sklearn.log_model(model, name="model", input_example=x[:2])
        print(f"alpha={args.alpha} l1_ratio={args.l1_ratio} rmse={rmse:.4f}")


if __name__ == "__main__":
    main()
