/* logistic: not yet generated */
