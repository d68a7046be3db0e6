cd '.' && ALPHAEX_CAMPAIGN='ax-bandit-0a1b2c' ALPHAEX_BASE='0' sbatch --parsable --array='0-2,5%3' --job-name='ax-bandit-0a1b2c' --export=ALL 'src/main/jobs/bandit/bandit.sh' '1000'
